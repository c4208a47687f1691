//===- schedule-solver-fuzzer.cpp - random loops and machines into Z3 ------===//
//
// Each input decodes into a dependence graph of 1..5 ops and a machine model
// of 1..3 units (counts, capacities, register budgets), including invalid
// ones (zero-count units, missing units, same-iteration self loops) and
// infeasible ones (shared memory too small). Properties checked:
//  * an invalid problem is refused with InvalidProblem, never solved;
//  * every phase 1 schedule passes isValidModuloSchedule, every phase 2
//    schedule passes isValidJointSchedule, and II >= the lower bound;
//  * the certificate: when phase 1 claims optimality, the independent brute
//    force (no Z3) finds the same minimal II, and nothing below the proven
//    lower bound; when phase 1 finds no schedule, brute force finds none up
//    to a bound the solver searched;
//  * the joint (phase 2) II is never below the phase 1 optimum (phase 1 is
//    its relaxation).
// Costs stay below the normalization target and normalization is off, so
// the brute force and the solver see the same numbers.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "weft/Schedule/Solver.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

using namespace weft::schedule;
using mlir::weft::fuzz::fail;

namespace {
/// Reads the fuzz input as a stream of small integers; past its end every
/// read is 0, so every byte string decodes to some problem.
class Decoder {
public:
  Decoder(const uint8_t *data, size_t size) : data(data), size(size) {}
  /// A value in [lo, hi].
  int64_t pick(int64_t lo, int64_t hi) {
    uint8_t byte = position < size ? data[position++] : 0;
    return lo + byte % (hi - lo + 1);
  }
  bool chance(int outOf) { return pick(0, outOf - 1) == 0; }

private:
  const uint8_t *data;
  size_t size;
  size_t position = 0;
};

Problem decodeProblem(Decoder &in) {
  Problem p;
  p.name = "fuzz";
  MachineModel &m = p.machine;
  m.name = "fuzz-machine";
  int64_t units = in.pick(1, 3);
  for (int64_t u = 0; u < units; ++u)
    // One in sixteen units has no instance: an infeasible machine model.
    m.units.push_back({"u" + std::to_string(u), in.chance(16) ? 0 : in.pick(1, 3)});
  m.smemBytes = in.pick(0, 8) * 1024;
  m.tmemColumns = in.chance(4) ? in.pick(0, 4) * 32 : 0;
  m.maxWarpsPerBlock = in.pick(1, 16);
  m.warpGroupSize = in.pick(1, 4);
  m.registerFileSize = in.pick(0, 4) * 16384;
  if (in.chance(2))
    m.registerBudgets = {24, 240};
  m.handoffCost = in.pick(0, 2);

  int64_t ops = in.pick(1, 5);
  static const char *const kinds[] = {"alu", "mma", "tma_load", "exp"};
  for (int64_t v = 0; v < ops; ++v) {
    Op op;
    op.name = "op" + std::to_string(v);
    op.kind = kinds[in.pick(0, 3)];
    int64_t reservations = in.pick(0, 2);
    for (int64_t r = 0; r < reservations; ++r)
      // A unit index past the machine's units now and then: an invalid
      // problem the solver must refuse.
      op.reservations.push_back(
          {static_cast<unsigned>(in.pick(0, units - (in.chance(16) ? 0 : 1))),
           in.pick(0, 2), in.pick(1, 3)});
    op.latency = in.pick(0, 5);
    op.issueCycles = in.pick(1, 2);
    op.smemBytes = in.pick(0, 3) * 1024;
    op.tmemColumns = m.tmemColumns ? in.pick(0, 2) * 32 : 0;
    op.registersPerThread = in.pick(0, 3) * 16;
    op.variableLatency = op.kind == std::string("tma_load") && in.chance(2);
    op.registerResident = in.chance(4);
    p.addOp(op);
  }
  int64_t edges = in.pick(0, 2 * ops);
  for (int64_t e = 0; e < edges; ++e) {
    unsigned src = in.pick(0, ops - 1), dst = in.pick(0, ops - 1);
    int64_t distance = in.pick(0, 2);
    // Same-iteration edges go forward, except one in sixteen: those can
    // close a zero-distance cycle, which has no schedule at any II.
    if (distance == 0 && src >= dst && !in.chance(16)) {
      if (src == dst)
        continue;
      std::swap(src, dst);
    }
    bool inPlace = in.chance(4);
    bool scalarHandoff = in.chance(4);
    p.addEdge(src, dst, in.pick(0, 5), distance, inPlace, scalarHandoff);
  }
  p.fixedSmemBytes = in.pick(0, 2) * 1024;
  return p;
}

/// Brute force enumerates II^ops residue assignments; keep it to inputs where
/// that is a few hundred thousand at most.
bool bruteForceAffordable(const Problem &p, int64_t ii) {
  return std::pow(static_cast<double>(ii), static_cast<double>(p.ops.size())) <=
         2e5;
}

std::string describe(const Problem &p, const Solution &s) {
  return "\n" + describeSolution(p, s);
}

void checkPhase1(const Problem &p, const SolveResult &r) {
  if (!r.ok()) {
    if (r.status.code != Status::NoSchedule)
      return; // time-outs and Z3 errors are reported, not wrong answers
    // No schedule up to the solver's automatic bound: brute force must not
    // find one either, as far as it can afford to look.
    for (int64_t ii = 1; ii <= 16 && bruteForceAffordable(p, ii); ++ii)
      if (bruteForceMinII(p, ii) == ii)
        fail("phase 1 found no schedule but II " + std::to_string(ii) +
             " has one: " + r.status.message);
    return;
  }
  const Solution &s = r.solution;
  std::string why;
  if (!isValidModuloSchedule(p, s.ii, s.issueCycle, &why))
    fail("phase 1 schedule fails the checker: " + why + describe(p, s));
  if (s.ii < s.lowerBound)
    fail("phase 1 II " + std::to_string(s.ii) + " is below its lower bound " +
         std::to_string(s.lowerBound));
  if (s.lowerBound > 1 && bruteForceAffordable(p, s.lowerBound - 1) &&
      bruteForceMinII(p, s.lowerBound - 1))
    fail("a schedule exists below the lower bound " +
         std::to_string(s.lowerBound) + describe(p, s));
  if (s.provenOptimal && bruteForceAffordable(p, s.ii)) {
    std::optional<int64_t> reference = bruteForceMinII(p, s.ii);
    if (reference != s.ii)
      fail("phase 1 claims II " + std::to_string(s.ii) +
           " is optimal; brute force says " +
           (reference ? std::to_string(*reference) : std::string("none")) +
           describe(p, s));
  }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Decoder in(data, size);
  Problem p = decodeProblem(in);
  SolverOptions options;
  options.timeoutMs = 500;
  options.normalizeTo = 0;
  options.randomSeed = 1;
  bool valid = validateProblem(p).empty();

  SolveResult phase1 = solveModuloSchedule(p, options);
  if (!valid) {
    if (phase1.status.code != Status::InvalidProblem)
      fail("an invalid problem (" + validateProblem(p) +
           ") was not refused as invalid");
    return 0;
  }
  if (phase1.status.code == Status::InvalidProblem) {
    // computeMII refuses zero-distance cycles of positive latency; brute
    // force must agree that no II works.
    if (bruteForceAffordable(p, 4) && bruteForceMinII(p, 4))
      fail("refused as invalid but brute force schedules it: " +
           phase1.status.message);
    return 0;
  }
  checkPhase1(p, phase1);

  // The joint model costs a Z3 query per (II, length) it tries; every other
  // input checks it, so the phase 1 certificate gets most of the executions.
  if (!in.chance(2))
    return 0;
  SolveResult joint = solveSchedule(p, options);
  if (!joint.ok())
    return 0;
  const Solution &s = joint.solution;
  std::string why;
  if (s.phase == 2 && !isValidJointSchedule(p, s, &why))
    fail("phase 2 schedule fails the checker: " + why + describe(p, s));
  if (s.phase != 0 && !isValidModuloSchedule(p, s.ii, s.issueCycle, &why))
    fail("joint result is not a modulo schedule: " + why + describe(p, s));
  if (phase1.ok() && phase1.solution.provenOptimal && s.ii < phase1.solution.ii)
    fail("joint II " + std::to_string(s.ii) + " beats the proven phase 1 II " +
         std::to_string(phase1.solution.ii));
  return 0;
}
