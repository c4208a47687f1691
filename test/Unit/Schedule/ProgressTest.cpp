//===- ProgressTest.cpp - the solver's progress callback ------------------===//
//
// SolverOptions::onProgress reports each II before it is tried (what
// weft-compile prints on long solves) and observes only: the schedule is the
// same with and without it.
//
//===----------------------------------------------------------------------===//

#include "weft/Schedule/Reproductions.h"
#include "weft/Schedule/Solver.h"

#include <gtest/gtest.h>

#include <vector>

using namespace weft::schedule;

TEST(SolverProgress, ReportsEveryIIWithoutChangingTheSchedule) {
  // II lies above the bound here, so several IIs and both phases are tried.
  Problem p = repro::tmemBoundGemmSm100a();
  SolverOptions options;
  options.timeoutMs = 120000;
  SolveResult quiet = solveSchedule(p, options);
  ASSERT_TRUE(quiet.ok()) << quiet.status.message;

  std::vector<SolverProgress> reports;
  options.onProgress = [&](const SolverProgress &progress) {
    reports.push_back(progress);
  };
  SolveResult observed = solveSchedule(p, options);
  ASSERT_TRUE(observed.ok()) << observed.status.message;

  const Solution &s = observed.solution;
  EXPECT_EQ(s.ii, quiet.solution.ii);
  EXPECT_EQ(s.issueCycle, quiet.solution.issueCycle);
  EXPECT_EQ(s.warpGroupOf, quiet.solution.warpGroupOf);
  EXPECT_EQ(s.provenOptimal, quiet.solution.provenOptimal);

  ASSERT_FALSE(reports.empty());
  bool phase1 = false, phase2AtResult = false;
  double lastMs = 0;
  for (const SolverProgress &r : reports) {
    EXPECT_EQ(r.lowerBound, s.lowerBound);
    EXPECT_GE(r.ii, s.lowerBound);
    EXPECT_LE(r.ii, s.ii);
    EXPECT_GE(r.elapsedMs, lastMs);
    lastMs = r.elapsedMs;
    phase1 |= r.phase == 1;
    phase2AtResult |= r.phase == 2 && r.ii == s.ii;
  }
  EXPECT_TRUE(phase1);
  EXPECT_TRUE(phase2AtResult);
}
