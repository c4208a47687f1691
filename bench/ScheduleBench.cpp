//===- ScheduleBench.cpp - Optimal vs heuristic schedules on reproductions ===//
//
// Solves every reproduction (FA3, FA4, CUTLASS ping-pong / cooperative, the
// TMEM-bound GEMM) and prints, per case: solve time, II (normalized and in
// cycles), MII, whether optimality is proven, the heuristic's II and the
// predicted speedup (heuristic / optimal cycles per iteration).
//
// Usage: weft-schedule-bench [--timeout-ms N] [--normalize N]
//                            [--extra-stages N] [--verbose]
//                            [case-name...]
//
//===----------------------------------------------------------------------===//

#include "weft/Schedule/Reproductions.h"
#include "weft/Schedule/Solver.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace weft::schedule;

int main(int argc, char **argv) {
  SolverOptions options;
  options.timeoutMs = 300000;
  bool verbose = false;
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--timeout-ms") && i + 1 < argc)
      options.timeoutMs = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--normalize") && i + 1 < argc)
      options.normalizeTo = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--extra-stages") && i + 1 < argc)
      options.extraStages = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--verbose"))
      verbose = true;
    else if (argv[i][0] == '-') {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    } else
      only.push_back(argv[i]);
  }

  std::printf("%-26s %9s %6s %8s %6s %8s %7s %7s %9s %7s\n", "case", "solve_ms",
              "II", "II_cyc", "MII", "MII_cyc", "proven", "heur_II", "heur_cyc",
              "ratio");
  int failures = 0;
  for (const repro::Reproduction &rep : repro::allReproductions()) {
    if (!only.empty() &&
        std::find(only.begin(), only.end(), rep.name) == only.end())
      continue;
    SolveResult optimal = solveSchedule(rep.problem, options);
    SolveResult heuristic = solveHeuristic(rep.problem, options);
    if (!optimal.ok()) {
      std::printf("%-26s error: %s\n", rep.name.c_str(),
                  optimal.status.message.c_str());
      ++failures;
      continue;
    }
    const Solution &s = optimal.solution;
    long long heurII = heuristic.ok() ? heuristic.solution.ii : -1;
    long long heurCycles = heuristic.ok() ? heuristic.solution.iiCycles() : -1;
    double ratio = heuristic.ok() ? static_cast<double>(heurCycles) /
                                        static_cast<double>(s.iiCycles())
                                  : 0.0;
    std::printf("%-26s %9.1f %6lld %8lld %6lld %8lld %7s %7lld %9lld %7.2f\n",
                rep.name.c_str(), s.stats.totalMilliseconds,
                static_cast<long long>(s.ii),
                static_cast<long long>(s.iiCycles()),
                static_cast<long long>(s.lowerBound),
                static_cast<long long>(s.lowerBoundCycles()),
                s.provenOptimal ? "yes" : "no", heurII, heurCycles, ratio);
    if (verbose) {
      std::printf("%s", describeSolution(rep.problem, s).c_str());
      std::printf("  expected: %s\n", rep.expectation.c_str());
      if (heuristic.ok() && !heuristic.solution.remark.empty())
        std::printf("  heuristic: %s\n", heuristic.solution.remark.c_str());
      for (const Attempt &a : s.stats.attempts)
        std::printf("    phase %d II %lld L %lld %s %.1f ms\n", a.phase,
                    static_cast<long long>(a.ii),
                    static_cast<long long>(a.scheduleLength),
                    toString(a.result), a.milliseconds);
    }
  }
  return failures ? 1 : 0;
}
