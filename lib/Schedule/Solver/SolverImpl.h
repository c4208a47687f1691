//===- SolverImpl.h - Shared internals of the schedule solver ---*- C++ -*-===//

#ifndef WEFT_LIB_SCHEDULE_SOLVER_SOLVERIMPL_H
#define WEFT_LIB_SCHEDULE_SOLVER_SOLVERIMPL_H

#include "weft/Schedule/Solver.h"

#include <chrono>
#include <cstdint>
#include <vector>

namespace weft {
namespace schedule {
namespace detail {

/// Cycles an op keeps its warp group from issuing anything else. Every op
/// holds it while issuing; an op that consumes another group's value also
/// blocks on the hand-off barrier (mbarrier try_wait, s_barrier) for the
/// hand-off cost first. Asynchronous ops (wgmma, TMA, tcgen05) release the
/// group after issue: their completion is awaited by whoever consumes them,
/// through the dependence latency.
inline int64_t groupHoldCycles(const Problem &problem, const Op &op,
                               bool waitsOnOtherGroup) {
  return op.issueCycles +
         (waitsOnOtherGroup ? problem.machine.handoffCost : 0);
}

inline int64_t ceilDiv(int64_t a, int64_t b) {
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}
inline int64_t floorMod(int64_t a, int64_t m) {
  int64_t r = a % m;
  return r < 0 ? r + m : r;
}

/// Longest-path earliest start times under M(dst) >= M(src) + weight for the
/// given (src, dst, weight) arcs and M >= lowerBound. Returns false if a
/// positive cycle makes the system infeasible.
struct Arc {
  unsigned src, dst;
  int64_t weight;
};
bool longestPaths(unsigned nodeCount, const std::vector<Arc> &arcs,
                  std::vector<int64_t> &value);

/// Arcs latency - II * distance of every edge.
std::vector<Arc> dependenceArcs(const Problem &problem, int64_t ii,
                                int64_t extraCrossGroupLatency = 0);

/// True if warp specialization necessarily puts the edge's endpoints on
/// different groups: exactly one of them is variable-latency, or both are
/// of different kinds (each variable-latency kind has dedicated groups).
bool forcedCrossGroup(const Problem &problem, const Edge &edge,
                      bool specialize);

/// Earliest issue cycle of each op at `ii` (ignoring resources), or false.
/// With `specialize`, forced cross-group edges include the hand-off.
bool asapTimes(const Problem &problem, int64_t ii, std::vector<int64_t> &asap,
               bool specialize = false);
/// For each op the longest path to the end of the iteration (so an op can
/// issue at most L - 1 - tail within schedule length L).
bool tailTimes(const Problem &problem, int64_t ii, std::vector<int64_t> &tail,
               bool specialize = false);

/// Necessary condition for phase 2 at `ii`: every buffer lives at least as
/// long as the longest dependence path to its last reader, which fixes a
/// minimum number of copies; those must fit shared memory, TMEM and the
/// largest register budget. False means no schedule exists at `ii`.
bool capacityLowerBoundsHold(const Problem &problem, int64_t ii,
                             bool specialize);

/// Number of live copies of each op's result in a modulo schedule: the
/// buffer is taken at issue and released when the last consumer (through a
/// non-in-place edge) stops occupying its units.
std::vector<int64_t> bufferDepths(const Problem &problem, int64_t ii,
                                  const std::vector<int64_t> &issue);

/// Warp-group register need (sum of register costs times live copies).
int64_t groupRegisterNeed(const Problem &problem,
                          const std::vector<unsigned> &ops,
                          const std::vector<int64_t> &depth);

/// Distributes the register file: producer groups (only variable-latency
/// ops) get the smallest budget that covers their need, the remaining
/// registers are split evenly among the other groups, rounded down to a
/// legal budget and never below their need. Returns false if no legal
/// assignment exists. `budgets` gets one value per group.
bool assignRegisterBudgets(const MachineModel &machine,
                           const std::vector<int64_t> &needs,
                           const std::vector<bool> &isProducer,
                           std::vector<int64_t> &budgets);

/// Legal per-thread budgets of `machine`: registerBudgets, or the uniform
/// allocation granules when the target has no setmaxnreg.
std::vector<int64_t> legalBudgets(const MachineModel &machine);

/// Role string of a group holding `ops`.
std::string groupRole(const Problem &problem, const std::vector<unsigned> &ops);

/// Fills stage, warpGroups (roles, needs, budgets), bufferDepth and memory
/// usage from issueCycle / warpGroupOf / ii.
void finishSolution(const Problem &problem, Solution &solution);

/// Wall-clock deadline helper.
class Deadline {
public:
  explicit Deadline(unsigned timeoutMs)
      : start(std::chrono::steady_clock::now()), limitMs(timeoutMs) {}
  double elapsedMs() const {
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now() - start)
        .count();
  }
  /// Milliseconds left (at least 1), or 0 for "no limit".
  unsigned remainingMs() const {
    if (limitMs == 0)
      return 0;
    double left = limitMs - elapsedMs();
    return left < 1 ? 1 : static_cast<unsigned>(left);
  }
  bool expired() const { return limitMs != 0 && elapsedMs() >= limitMs; }

private:
  std::chrono::steady_clock::time_point start;
  unsigned limitMs;
};

/// Schedule length within which phase 1 is exact at `ii`.
int64_t moduloLengthBound(const Problem &problem, int64_t ii);

/// Phase 1 query at one II: SAT with issue times, UNSAT, or UNKNOWN.
SatResult solveModuloAtII(const Problem &problem, int64_t ii,
                          unsigned timeoutMs, unsigned seed,
                          std::vector<int64_t> &issue, std::string &error);

/// Phase 2: joint SWP + WS starting at `startII`. Fills `solution` (issue,
/// groups) and attempts. Returns the result of the last query (SAT when a
/// schedule was found).
struct JointOutcome {
  bool found = false;
  bool allSmallerUnsat = true; ///< every II tried before the found one UNSAT
  bool timedOut = false;
  std::string error;
  int64_t stageBound = 0;
};
/// The common start of every solve: checks `original`, normalizes its costs
/// (recording the scale and error in `result.solution`) and computes the
/// lower bounds. Returns false with `result.status` set when it fails.
bool prepareProblem(const Problem &original, const SolverOptions &options,
                    SolveResult &result, Problem &problem, MIIBounds &bounds);

JointOutcome solveJoint(const Problem &problem, int64_t startII, int64_t maxII,
                        const SolverOptions &options, const Deadline &deadline,
                        Solution &solution);

} // namespace detail
} // namespace schedule
} // namespace weft

#endif // WEFT_LIB_SCHEDULE_SOLVER_SOLVERIMPL_H
