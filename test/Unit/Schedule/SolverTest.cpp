//===- SolverTest.cpp - Solver vs brute force, certificates, failure paths ===//

#include "weft/Schedule/Solver.h"
#include "weft/Schedule/Reproductions.h"

#include <gtest/gtest.h>

#include <random>

using namespace weft::schedule;

namespace {
/// A random loop body of 2..6 ops on 1..2 units; same-iteration edges only go
/// forward (no zero-distance cycles), loop-carried edges go anywhere.
Problem randomTinyProblem(unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  Problem p;
  p.name = "random" + std::to_string(seed);
  p.machine.name = "tiny";
  int units = pick(1, 2);
  for (int u = 0; u < units; ++u)
    p.machine.units.push_back({"u" + std::to_string(u), pick(1, 2)});
  p.machine.smemBytes = 1 << 20;
  p.machine.registerFileSize = 1 << 20;
  int ops = pick(2, 6);
  for (int v = 0; v < ops; ++v) {
    Op op;
    op.name = "op" + std::to_string(v);
    op.kind = "alu";
    op.reservations.push_back(
        {static_cast<unsigned>(pick(0, units - 1)), pick(0, 1), pick(1, 3)});
    op.latency = pick(1, 4);
    p.addOp(op);
  }
  int edges = pick(1, ops + 2);
  for (int e = 0; e < edges; ++e) {
    unsigned a = pick(0, ops - 1), b = pick(0, ops - 1);
    if (pick(0, 2) == 0) {
      p.addEdge(a, b, pick(0, 5), pick(1, 2), false); // loop-carried
    } else {
      if (a == b)
        continue;
      if (a > b)
        std::swap(a, b);
      p.addEdge(a, b, pick(0, 4), 0, false);
    }
  }
  return p;
}
} // namespace

TEST(Solver, MatchesBruteForceOnRandomTinyGraphs) {
  for (unsigned seed = 1; seed <= 50; ++seed) {
    Problem p = randomTinyProblem(seed);
    SolverOptions options;
    options.timeoutMs = 20000;
    SolveResult r = solveModuloSchedule(p, options);
    ASSERT_TRUE(r.ok()) << p.name << ": " << r.status.message;
    const Solution &s = r.solution;
    std::optional<int64_t> reference = bruteForceMinII(p, s.ii + 2);
    ASSERT_TRUE(reference.has_value()) << p.name;
    EXPECT_EQ(s.ii, *reference) << p.name;
    EXPECT_TRUE(s.provenOptimal) << p.name;
    EXPECT_GE(s.ii, s.lowerBound) << p.name;
    std::string why;
    EXPECT_TRUE(isValidModuloSchedule(p, s.ii, s.issueCycle, &why))
        << p.name << ": " << why;
    // The certificate: every II the solver refuted really has no schedule.
    for (const Attempt &a : s.stats.attempts) {
      if (a.result != SatResult::Unsat)
        continue;
      EXPECT_LT(a.ii, s.ii);
      std::optional<int64_t> below = bruteForceMinII(p, a.ii);
      EXPECT_FALSE(below.has_value())
          << p.name << ": II " << a.ii << " was refuted but is feasible";
    }
  }
}

TEST(Solver, JointScheduleIsValidAndNeverBeatsTheModuloBound) {
  for (unsigned seed = 100; seed < 120; ++seed) {
    Problem p = randomTinyProblem(seed);
    p.machine.maxWarpsPerBlock = 8;
    p.machine.handoffCost = 1;
    p.machine.registerBudgets = {32, 64};
    p.machine.registerFileSize = 64 * 128 * 2;
    p.ops[0].variableLatency = true; // a producer op
    p.ops[0].kind = "tma_load";
    for (Op &op : p.ops)
      op.registersPerThread = 8;
    SolveResult phase1 = solveModuloSchedule(p);
    SolveResult joint = solveSchedule(p);
    ASSERT_TRUE(joint.ok()) << p.name << ": " << joint.status.message;
    ASSERT_EQ(joint.solution.phase, 2) << joint.solution.remark;
    EXPECT_GE(joint.solution.ii, phase1.solution.ii);
    std::string why;
    EXPECT_TRUE(isValidJointSchedule(p, joint.solution, &why))
        << p.name << ": " << why;
    // The heuristic is a valid modulo schedule too, so never better.
    SolveResult heuristic = solveHeuristic(p);
    ASSERT_TRUE(heuristic.ok()) << heuristic.status.message;
    EXPECT_GE(heuristic.solution.ii, phase1.solution.ii);
  }
}

TEST(Solver, SharedMemoryForcesLargerII) {
  // A 100 KB load with latency 10 feeding a 4-cycle op: at II 4 its buffer
  // would need ceil(14 / 4) = 4 copies (400 KB). With 227 KB only two
  // copies fit, so II = ceil(14 / 2) = 7.
  Problem p;
  p.machine.name = "smem";
  p.machine.units = {{"tma", 1}, {"tensor", 1}};
  p.machine.smemBytes = 227 * 1024;
  p.machine.registerFileSize = 65536;
  p.machine.registerBudgets = {24, 240};
  Op load;
  load.name = "load";
  load.kind = "tma_load";
  load.reservations = {{0, 0, 2}};
  load.latency = 10;
  load.smemBytes = 100 * 1024;
  load.variableLatency = true;
  Op mma;
  mma.name = "mma";
  mma.kind = "mma";
  mma.reservations = {{1, 0, 4}};
  mma.latency = 4;
  unsigned l = p.addOp(load), m = p.addOp(mma);
  p.addEdge(l, m, 10, 0, false);
  SolveResult r = solveSchedule(p);
  ASSERT_TRUE(r.ok()) << r.status.message;
  EXPECT_EQ(r.solution.lowerBound, 4);
  EXPECT_EQ(r.solution.ii, 7);
  EXPECT_EQ(r.solution.bufferDepth[l], 2);
  EXPECT_TRUE(r.solution.provenOptimal);
  EXPECT_FALSE(r.solution.remark.empty());
  std::string why;
  EXPECT_TRUE(isValidJointSchedule(p, r.solution, &why)) << why;
}

TEST(Solver, WithoutWarpSpecializationEverythingIsOneGroup) {
  SolverOptions options;
  options.enableWarpSpecialization = false;
  SolveResult r = solveSchedule(repro::tmemBoundGemmSm100a(), options);
  ASSERT_TRUE(r.ok()) << r.status.message;
  EXPECT_EQ(r.solution.phase, 2);
  EXPECT_EQ(r.solution.warpGroups.size(), 1u);
  EXPECT_FALSE(r.solution.warpSpecialized);

  // Two 128x192 register accumulators (384 registers per thread) fit no
  // single warp group: phase 2 proves there is no schedule, and that is an
  // error naming the machine, not a schedule that ignores its capacities.
  SolveResult pingpong = solveSchedule(repro::cutlassPingpongSm90a(), options);
  ASSERT_FALSE(pingpong.ok());
  EXPECT_EQ(pingpong.status.code, Status::NoSchedule);
  EXPECT_NE(pingpong.status.message.find("no schedule fits machine 'sm_90a'"),
            std::string::npos);
}

TEST(Solver, TimeoutReturnsUnprovenScheduleWithReason) {
  Problem p = repro::flashAttentionSm100a();
  SolverOptions options;
  options.timeoutMs = 1;
  SolveResult r = solveSchedule(p, options);
  ASSERT_TRUE(r.ok()) << r.status.message;
  EXPECT_FALSE(r.solution.provenOptimal);
  EXPECT_FALSE(r.solution.remark.empty());
  EXPECT_GE(r.solution.ii, r.solution.lowerBound);
  Normalization normalization;
  EXPECT_TRUE(isValidModuloSchedule(
      normalizeProblem(p, options.normalizeTo, normalization), r.solution.ii,
      r.solution.issueCycle));
}

TEST(Solver, OversizedProblemsFailCleanly) {
  // Without normalization, billion-cycle costs cannot be time-indexed: the
  // solver must say so instead of throwing or exhausting memory.
  Problem p;
  p.machine.name = "huge";
  p.machine.units = {{"u", 1}};
  p.machine.registerFileSize = 65536;
  Op a;
  a.name = "a";
  a.kind = "alu";
  a.reservations = {{0, 0, 1000000000}};
  a.latency = 1000000000;
  p.addOp(a);
  p.addOp(a);
  p.addEdge(0, 1, 1000000000, 0, false);
  SolverOptions options;
  options.normalizeTo = 0;
  options.timeoutMs = 5000;
  SolveResult r = solveSchedule(p, options);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.status.message.empty());
}
