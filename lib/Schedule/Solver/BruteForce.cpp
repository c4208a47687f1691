//===- BruteForce.cpp - Exhaustive reference for tiny graphs -------------===//
//
// Enumerates every assignment of residues (issue time mod II) with a running
// modulo reservation table, and for each complete assignment decides the
// stage offsets exactly: with residues fixed, the dependences become
// difference constraints on stages, feasible iff there is no positive cycle.
// Independent of Z3, so it can certify the solver's answers.
//
//===----------------------------------------------------------------------===//

#include "SolverImpl.h"

using namespace weft::schedule;
using namespace weft::schedule::detail;

namespace {
struct Search {
  const Problem &problem;
  int64_t ii;
  std::vector<int64_t> residue;
  std::vector<std::vector<int64_t>> table;

  bool stagesFeasible() {
    std::vector<Arc> arcs;
    for (const Edge &e : problem.edges) {
      // II*s_v + r_v - II*s_u - r_u + dist*II >= lat
      int64_t need =
          e.latency - e.distance * ii - residue[e.dst] + residue[e.src];
      arcs.push_back({e.src, e.dst, ceilDiv(need, ii)});
    }
    std::vector<int64_t> stage(problem.ops.size(), 0);
    return longestPaths(problem.ops.size(), arcs, stage);
  }

  bool place(size_t v) {
    if (v == problem.ops.size())
      return stagesFeasible();
    const Op &op = problem.ops[v];
    for (int64_t r = 0; r < ii; ++r) {
      bool fits = true;
      for (const Reservation &res : op.reservations)
        for (int64_t j = 0; j < res.cycles; ++j)
          if (++table[res.unitIndex][floorMod(r + res.offset + j, ii)] >
              problem.machine.units[res.unitIndex].count)
            fits = false;
      if (fits) {
        residue[v] = r;
        if (place(v + 1))
          return true;
      }
      for (const Reservation &res : op.reservations)
        for (int64_t j = 0; j < res.cycles; ++j)
          --table[res.unitIndex][floorMod(r + res.offset + j, ii)];
    }
    return false;
  }
};
} // namespace

std::optional<int64_t> weft::schedule::bruteForceMinII(const Problem &problem,
                                                       int64_t maxII) {
  if (problem.ops.size() > 6 || !validateProblem(problem).empty())
    return std::nullopt;
  for (int64_t ii = 1; ii <= maxII; ++ii) {
    Search search{
        problem, ii, std::vector<int64_t>(problem.ops.size(), 0),
        std::vector<std::vector<int64_t>>(problem.machine.units.size(),
                                          std::vector<int64_t>(ii, 0))};
    if (search.place(0))
      return ii;
  }
  return std::nullopt;
}
