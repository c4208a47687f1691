//===- ReproductionTest.cpp - FA3 / FA4 / CUTLASS schedules ---------------===//
//
// The solver gets costs and constraints only; these tests check that the
// structure of the published schedules comes out of them.
//
//===----------------------------------------------------------------------===//

#include "weft/Schedule/Reproductions.h"
#include "weft/Schedule/Solver.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace weft::schedule;

namespace {
struct Solved {
  Problem normalized;
  Solution solution;
};

Solved solve(const Problem &p) {
  SolverOptions options;
  options.timeoutMs = 120000;
  SolveResult r = solveSchedule(p, options);
  EXPECT_TRUE(r.ok()) << p.name << ": " << r.status.message;
  Normalization n;
  Solved out{normalizeProblem(p, options.normalizeTo, n), r.solution};
  std::string why;
  EXPECT_TRUE(isValidJointSchedule(out.normalized, out.solution, &why))
      << p.name << ": " << why;
  return out;
}

unsigned opIndex(const Problem &p, const std::string &name) {
  for (size_t v = 0; v < p.ops.size(); ++v)
    if (p.ops[v].name == name)
      return static_cast<unsigned>(v);
  ADD_FAILURE() << "no op " << name;
  return 0;
}

/// Busy cycles of unit `unitName` per iteration: the resource bound.
int64_t unitBound(const Problem &p, const std::string &unitName) {
  int unit = p.machine.findUnit(unitName);
  int64_t busy = 0;
  for (const Op &op : p.ops)
    for (const Reservation &r : op.reservations)
      if (static_cast<int>(r.unitIndex) == unit)
        busy += r.cycles;
  return busy;
}

/// Do the unit windows of a and b intersect modulo II?
bool overlapModII(const Problem &p, const Solution &s, unsigned a, unsigned b) {
  std::vector<bool> busy(s.ii, false);
  for (const Reservation &r : p.ops[a].reservations)
    for (int64_t j = 0; j < r.cycles; ++j)
      busy[(s.issueCycle[a] + r.offset + j) % s.ii] = true;
  for (const Reservation &r : p.ops[b].reservations)
    for (int64_t j = 0; j < r.cycles; ++j)
      if (busy[(s.issueCycle[b] + r.offset + j) % s.ii])
        return true;
  return false;
}

const WarpGroup *groupWithRole(const Solution &s, const std::string &role) {
  for (const WarpGroup &g : s.warpGroups)
    if (g.role == role)
      return &g;
  return nullptr;
}

std::vector<const WarpGroup *> consumers(const Solution &s) {
  std::vector<const WarpGroup *> out;
  for (const WarpGroup &g : s.warpGroups)
    if (g.role == "consumer")
      out.push_back(&g);
  return out;
}

bool holds(const WarpGroup &g, unsigned op) {
  return std::find(g.ops.begin(), g.ops.end(), op) != g.ops.end();
}
} // namespace

TEST(Reproduction, FlashAttention3OnHopper) {
  Solved r = solve(repro::flashAttentionSm90a());
  const Problem &p = r.normalized;
  const Solution &s = r.solution;
  // Throughput: the tensor core is the bottleneck and is kept busy.
  EXPECT_EQ(s.ii, unitBound(p, "tensor"));
  EXPECT_EQ(s.ii, s.lowerBound);
  EXPECT_TRUE(s.provenOptimal);

  // Partition: one TMA producer with the smallest budget, two consumers,
  // one per Q tile, with the large budget.
  ASSERT_EQ(s.warpGroups.size(), 3u);
  const WarpGroup *producer = groupWithRole(s, "producer:tma_load");
  ASSERT_NE(producer, nullptr);
  EXPECT_EQ(producer->ops.size(), 2u);
  EXPECT_EQ(producer->registerBudget, 24);
  std::vector<const WarpGroup *> tiles = consumers(s);
  ASSERT_EQ(tiles.size(), 2u);
  for (const WarpGroup *g : tiles)
    EXPECT_EQ(g->registerBudget, 240);
  for (int i = 0; i < 2; ++i) {
    const std::string t = std::to_string(i);
    const WarpGroup *owner =
        holds(*tiles[0], opIndex(p, "s" + t + "_qk")) ? tiles[0] : tiles[1];
    for (const char *name :
         {"s", "rowmax", "exp", "rowsum", "rescale_o", "o"}) {
      std::string op = std::string(name) + t;
      if (std::string(name) == "s")
        op = "s" + t + "_qk";
      if (std::string(name) == "o")
        op = "o" + t + "_pv";
      EXPECT_TRUE(holds(*owner, opIndex(p, op))) << op;
    }
  }

  // Ping-pong: each tile's softmax runs while the tensor core works on the
  // other tile's GEMMs, never on its own.
  for (int i = 0; i < 2; ++i) {
    const std::string me = std::to_string(i), other = std::to_string(1 - i);
    unsigned exp = opIndex(p, "exp" + me);
    EXPECT_TRUE(overlapModII(p, s, exp, opIndex(p, "s" + other + "_qk")) ||
                overlapModII(p, s, exp, opIndex(p, "o" + other + "_pv")))
        << "softmax of tile " << i << " overlaps no GEMM of the other tile";
    EXPECT_FALSE(overlapModII(p, s, exp, opIndex(p, "s" + me + "_qk")));
    EXPECT_FALSE(overlapModII(p, s, exp, opIndex(p, "o" + me + "_pv")));
  }
  // Software pipelining: loads run at least a stage ahead of a GEMM that
  // consumes them.
  unsigned loadK = opIndex(p, "load_k");
  EXPECT_TRUE(s.stage[opIndex(p, "s0_qk")] > s.stage[loadK] ||
              s.stage[opIndex(p, "s1_qk")] > s.stage[loadK]);
  EXPECT_GE(s.bufferDepth[loadK], 2);
}

TEST(Reproduction, FlashAttention4OnBlackwell) {
  Solved r = solve(repro::flashAttentionSm100a());
  const Problem &p = r.normalized;
  const Solution &s = r.solution;
  EXPECT_TRUE(s.provenOptimal);
  EXPECT_GE(s.ii, s.lowerBound);
  EXPECT_LE(s.tmemColumnsUsed, 512);
  // Separate load and MMA-issue partitions, each holding only its engine.
  const WarpGroup *load = groupWithRole(s, "producer:tma_load");
  const WarpGroup *mma = groupWithRole(s, "producer:mma");
  ASSERT_NE(load, nullptr);
  ASSERT_NE(mma, nullptr);
  EXPECT_EQ(load->ops.size(), 2u);
  EXPECT_EQ(mma->ops.size(), 4u);
  // One softmax partition per Q tile (an S row of both tiles would not fit
  // one warp group's registers).
  std::vector<const WarpGroup *> softmax = consumers(s);
  ASSERT_GE(softmax.size(), 2u);
  unsigned rowmax0 = opIndex(p, "rowmax0"), rowmax1 = opIndex(p, "rowmax1");
  EXPECT_NE(s.warpGroupOf[rowmax0], s.warpGroupOf[rowmax1]);
  for (int i = 0; i < 2; ++i) {
    const std::string t = std::to_string(i);
    unsigned rowmax = opIndex(p, "rowmax" + t);
    EXPECT_EQ(s.warpGroupOf[opIndex(p, "exp" + t)], s.warpGroupOf[rowmax]);
    EXPECT_EQ(s.warpGroupOf[opIndex(p, "exp_poly" + t)], s.warpGroupOf[rowmax]);
  }
  // S, P and O fill TMEM, so S cannot be double-buffered.
  EXPECT_EQ(s.bufferDepth[opIndex(p, "s0_qk")], 1);
}

TEST(Reproduction, CutlassPingpongGemm) {
  Solved r = solve(repro::cutlassPingpongSm90a());
  const Problem &p = r.normalized;
  const Solution &s = r.solution;
  EXPECT_EQ(s.ii, unitBound(p, "tensor"));
  EXPECT_TRUE(s.provenOptimal);
  ASSERT_EQ(s.warpGroups.size(), 3u);
  ASSERT_NE(groupWithRole(s, "producer:tma_load"), nullptr);
  std::vector<const WarpGroup *> tiles = consumers(s);
  ASSERT_EQ(tiles.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    const std::string me = std::to_string(i), other = std::to_string(1 - i);
    unsigned mainloop = opIndex(p, "mainloop" + me);
    EXPECT_EQ(s.warpGroupOf[mainloop],
              s.warpGroupOf[opIndex(p, "epilogue" + me)]);
    // The epilogue of one consumer overlaps the mainloop of the other.
    EXPECT_TRUE(overlapModII(p, s, opIndex(p, "epilogue" + me),
                             opIndex(p, "mainloop" + other)) ||
                overlapModII(p, s, opIndex(p, "store" + me),
                             opIndex(p, "mainloop" + other)));
  }
  EXPECT_NE(s.warpGroupOf[opIndex(p, "mainloop0")],
            s.warpGroupOf[opIndex(p, "mainloop1")]);
}

TEST(Reproduction, CutlassCooperativeGemm) {
  Solved r = solve(repro::cutlassCooperativeSm90a());
  const Problem &p = r.normalized;
  const Solution &s = r.solution;
  EXPECT_EQ(s.ii, unitBound(p, "tensor"));
  EXPECT_TRUE(s.provenOptimal);
  // One load stream feeds both consumers, which split the tile: a 128x256
  // fp32 accumulator (256 registers per thread) fits no single group.
  const WarpGroup *producer = groupWithRole(s, "producer:tma_load");
  ASSERT_NE(producer, nullptr);
  EXPECT_EQ(producer->ops.size(), 1u);
  std::vector<const WarpGroup *> tiles = consumers(s);
  ASSERT_EQ(tiles.size(), 2u);
  EXPECT_NE(s.warpGroupOf[opIndex(p, "mainloop0")],
            s.warpGroupOf[opIndex(p, "mainloop1")]);
  for (const WarpGroup *g : tiles)
    EXPECT_LE(g->registersNeeded, g->registerBudget);
}

TEST(Reproduction, TensorMemoryForcesLargerII) {
  Problem p = repro::tmemBoundGemmSm100a();
  Solved r = solve(p);
  EXPECT_GT(r.solution.ii, r.solution.lowerBound);
  EXPECT_TRUE(r.solution.provenOptimal);
  EXPECT_EQ(r.solution.bufferDepth[opIndex(r.normalized, "mainloop0")], 1);
  // Control: with twice the tensor memory the accumulator double-buffers
  // and the bound is met.
  p.machine.tmemColumns = 1024;
  Solved relaxed = solve(p);
  EXPECT_EQ(relaxed.solution.ii, relaxed.solution.lowerBound);
  EXPECT_EQ(
      relaxed.solution.bufferDepth[opIndex(relaxed.normalized, "mainloop0")],
      2);
}

TEST(Reproduction, HeuristicIsNeverFaster) {
  for (const repro::Reproduction &rep : repro::allReproductions()) {
    SolverOptions options;
    options.timeoutMs = 120000;
    SolveResult optimal = solveSchedule(rep.problem, options);
    SolveResult heuristic = solveHeuristic(rep.problem, options);
    ASSERT_TRUE(optimal.ok()) << rep.name;
    ASSERT_TRUE(heuristic.ok()) << rep.name << ": " << heuristic.status.message;
    // The heuristic's schedule is a valid modulo schedule, so it cannot beat
    // the proven phase 1 bound.
    EXPECT_GE(heuristic.solution.ii, optimal.solution.lowerBound) << rep.name;
  }
}
