//===- MIITest.cpp - Lower bounds, normalization, validation, hashing -----===//

#include "weft/Schedule/Solver.h"

#include <gtest/gtest.h>

using namespace weft::schedule;

namespace {
MachineModel twoUnits(int64_t countA = 1, int64_t countB = 1) {
  MachineModel m;
  m.name = "test";
  m.units = {{"a", countA}, {"b", countB}};
  m.smemBytes = 1 << 20;
  m.registerFileSize = 1 << 20;
  return m;
}
Op op(const std::string &name, unsigned unit, int64_t cycles, int64_t latency) {
  Op o;
  o.name = name;
  o.kind = "alu";
  o.reservations = {{unit, 0, cycles}};
  o.latency = latency;
  return o;
}
} // namespace

TEST(MII, ResourceBound) {
  Problem p;
  p.machine = twoUnits();
  p.addOp(op("x", 0, 2, 2));
  p.addOp(op("y", 0, 3, 3));
  p.addOp(op("z", 0, 4, 4));
  p.addOp(op("w", 1, 5, 5));
  MIIBounds b;
  ASSERT_TRUE(computeMII(p, b).ok());
  EXPECT_EQ(b.resMII, 9); // 2 + 3 + 4 on unit a
  EXPECT_EQ(b.recMII, 0); // no cycle
  p.machine.units[0].count = 2;
  ASSERT_TRUE(computeMII(p, b).ok());
  EXPECT_EQ(b.resMII, 5); // max(ceil(9 / 2), 5 on unit b)
}

TEST(MII, RecurrenceBound) {
  Problem p;
  p.machine = twoUnits();
  unsigned a = p.addOp(op("a", 0, 1, 3));
  unsigned b = p.addOp(op("b", 0, 1, 4));
  unsigned c = p.addOp(op("c", 1, 1, 2));
  p.addEdge(a, b, 3, 0, false);
  p.addEdge(b, c, 4, 0, false);
  p.addEdge(c, a, 2, 2, false); // cycle: latency 9 over distance 2
  MIIBounds bounds;
  ASSERT_TRUE(computeMII(p, bounds).ok());
  EXPECT_EQ(bounds.recMII, 5);  // ceil(9 / 2)
  p.addEdge(b, b, 7, 1, false); // self recurrence 7 / 1
  ASSERT_TRUE(computeMII(p, bounds).ok());
  EXPECT_EQ(bounds.recMII, 7);
  EXPECT_EQ(bounds.mii(), 7);
}

TEST(MII, ZeroDistanceCycleIsRejected) {
  Problem p;
  p.machine = twoUnits();
  unsigned a = p.addOp(op("a", 0, 1, 1));
  unsigned b = p.addOp(op("b", 0, 1, 1));
  p.addEdge(a, b, 1, 0, false);
  p.addEdge(b, a, 1, 0, false);
  MIIBounds bounds;
  Status s = computeMII(p, bounds);
  EXPECT_EQ(s.code, Status::InvalidProblem);
  EXPECT_FALSE(s.message.empty());
}

TEST(Problem, ValidationFindsDefects) {
  Problem p;
  p.machine = twoUnits();
  EXPECT_FALSE(validateProblem(p).empty()); // no ops
  p.addOp(op("a", 5, 1, 1));                // unit 5 does not exist
  EXPECT_NE(validateProblem(p).find("unit"), std::string::npos);
  p.ops[0].reservations[0].unitIndex = 0;
  EXPECT_TRUE(validateProblem(p).empty());
  p.addEdge(0, 3, 1, 0, false);
  EXPECT_FALSE(validateProblem(p).empty());
  SolveResult r = solveSchedule(p);
  EXPECT_EQ(r.status.code, Status::InvalidProblem);
}

TEST(Normalization, ScalesToTargetAndBoundsError) {
  Problem p;
  p.machine = twoUnits();
  p.machine.handoffCost = 10;
  unsigned a = p.addOp(op("gemm", 0, 1000, 1100));
  unsigned b = p.addOp(op("exp", 1, 300, 310));
  p.addEdge(a, b, 1100, 0, false);
  Normalization n;
  Problem q = normalizeProblem(p, 32, n);
  EXPECT_DOUBLE_EQ(n.scale, 1100.0 / 32.0);
  EXPECT_EQ(q.ops[a].latency, 32);
  for (size_t v = 0; v < p.ops.size(); ++v) {
    // Normalized costs, scaled back, never undercut the originals.
    EXPECT_GE(q.ops[v].latency * n.scale, p.ops[v].latency);
    const Reservation &r = q.ops[v].reservations[0];
    EXPECT_LE(r.offset * n.scale, p.ops[v].reservations[0].offset);
    EXPECT_GE((r.offset + r.cycles) * n.scale,
              p.ops[v].reservations[0].offset +
                  p.ops[v].reservations[0].cycles);
  }
  EXPECT_GE(q.machine.handoffCost * n.scale, 10);
  EXPECT_GT(n.maxRelativeError, 0.0);
  EXPECT_LT(n.maxRelativeError, 0.15); // every cost is >= 9 units
  // Already small problems are left alone.
  Problem same = normalizeProblem(q, 32, n);
  EXPECT_EQ(n.scale, 1.0);
  EXPECT_EQ(same.ops[a].latency, 32);
}

TEST(Problem, HashIsStableAndSensitive) {
  Problem p;
  p.machine = twoUnits();
  p.addOp(op("a", 0, 2, 3));
  p.addOp(op("b", 1, 2, 3));
  p.addEdge(0, 1, 3, 0, false);
  Problem copy = p;
  EXPECT_EQ(hashProblem(p), hashProblem(copy));
  copy.edges[0].distance = 1;
  EXPECT_NE(hashProblem(p), hashProblem(copy));
  copy = p;
  copy.machine.smemBytes += 1;
  EXPECT_NE(hashProblem(p), hashProblem(copy));
  copy = p;
  copy.ops[1].registersPerThread = 8;
  EXPECT_NE(hashProblem(p), hashProblem(copy));
}
