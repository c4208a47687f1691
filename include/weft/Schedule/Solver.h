//===- Solver.h - Optimal modulo scheduling with SWP and WS ----*- C++ -*-===//
//
// Optimal software pipelining and warp specialization of one loop body, after
// Twill (arXiv 2512.18134), solved with Z3:
//   phase 1: for II = MII, MII+1, ... find a modulo schedule (dependences +
//            modulo unit capacity); the first SAT II is optimal and UNSAT at
//            every smaller II is the certificate;
//   phase 2: from that II on, a time-indexed Boolean encoding over the
//            overlapped iterations adds warp-group assignment, memory and
//            register capacity, dedicated producers, hand-off costs and
//            blocking-wait exclusivity.
// Costs are normalized to small integers first; the error is reported.
//
// No exception leaves this interface: Z3 errors and invalid problems come back
// as a Status.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_SCHEDULE_SOLVER_H
#define WEFT_SCHEDULE_SOLVER_H

#include "weft/Schedule/Problem.h"

#include <functional>
#include <optional>

namespace weft {
namespace schedule {

struct Status {
  enum Code { Ok, InvalidProblem, SolverError, NoSchedule };
  Code code = Ok;
  std::string message;
  bool ok() const { return code == Ok; }
  static Status success() { return {}; }
  static Status error(Code code, std::string message) {
    return {code, std::move(message)};
  }
};

/// What the solver is about to try: reported before each II query so that a
/// driver can show progress on solves that take seconds to minutes.
struct SolverProgress {
  /// 1: modulo schedule (the certificate), 2: joint SWP + WS.
  int phase = 1;
  /// The II about to be tried and the proven lower bound (normalized units).
  int64_t ii = 0, lowerBound = 0;
  double elapsedMs = 0;
};

struct SolverOptions {
  /// Wall-clock budget for the whole solve; 0 = unlimited. When it runs out
  /// the best schedule found so far is returned, provenOptimal = false.
  unsigned timeoutMs = 60000;
  /// Give up above this II (normalized units); 0 = automatic (a bound at which
  /// a schedule without overlap always exists).
  int64_t maxII = 0;
  /// Target value of the largest latency / occupancy after normalization;
  /// 0 disables normalization.
  int64_t normalizeTo = 32;
  /// Run phase 2 (warp-group partition). Without it the result is the phase 1
  /// modulo schedule on a single warp group.
  bool enableWarpSpecialization = true;
  /// Upper bound on the number of warp groups phase 2 may use (also bounded
  /// by the machine's warps per block).
  unsigned maxWarpGroups = 6;
  /// Phase 2 searches schedule lengths up to (ceil(Lmin / II) + extraStages)
  /// * II before growing II.
  unsigned extraStages = 1;
  /// After the first feasible phase 2 schedule, shorten the schedule length
  /// (fewer stages, smaller buffers) while time remains.
  bool minimizeScheduleLength = true;
  /// Try phase 2 directly at II = MII first: if it succeeds the schedule is
  /// optimal by the lower bound and phase 1 is skipped.
  bool tryJointAtBound = true;
  /// Seed for Z3's random choices (reproducible results).
  unsigned randomSeed = 0;
  /// Called before each II query; observes only, never changes the result.
  std::function<void(const SolverProgress &)> onProgress;
};

struct SolveResult {
  Status status;
  Solution solution;
  bool ok() const { return status.ok(); }
};

/// Lower bounds in (already normalized) units of `problem`. recMII is 0 when
/// the graph has no dependence cycle. Fails on a cycle of distance 0 whose
/// latency is positive (no II satisfies it).
struct MIIBounds {
  int64_t resMII = 0;
  int64_t recMII = 0;
  int64_t mii() const { return resMII > recMII ? resMII : recMII; }
};
Status computeMII(const Problem &problem, MIIBounds &bounds);

/// Cost normalization: every latency / occupancy / hand-off c becomes
/// ceil(c / scale) (at least 1 where c > 0) with scale chosen so that the
/// largest becomes `normalizeTo`; reservation windows are widened to cover
/// the original ones. Returns the normalized problem; maxRelativeError is
/// over costs of at least one unit.
struct Normalization {
  double scale = 1.0;
  double maxRelativeError = 0.0;
};
Problem normalizeProblem(const Problem &problem, int64_t normalizeTo,
                         Normalization &normalization);

/// Full solve: normalization, MII, phase 1, phase 2.
SolveResult solveSchedule(const Problem &problem,
                          const SolverOptions &options = {});

/// Phase 1 only (after the same normalization): the smallest feasible II from
/// MII up with issue times, on a single warp group.
SolveResult solveModuloSchedule(const Problem &problem,
                                const SolverOptions &options = {});

/// Triton-like baseline on the same (normalized) costs: loads in stage 0 as
/// early as possible, everything else list-scheduled in the last stage, one
/// producer warp group for variable-latency loads when warp specialization is
/// enabled, everything else on one consumer group.
SolveResult solveHeuristic(const Problem &problem,
                           const SolverOptions &options = {});

/// Exhaustive reference for tiny graphs (<= 6 ops): the smallest II in
/// [1, maxII] admitting a modulo schedule (dependences + modulo unit
/// capacity), found by enumerating every residue assignment and solving the
/// remaining stage offsets exactly. Returns std::nullopt if none up to maxII
/// or the graph is too large.
std::optional<int64_t> bruteForceMinII(const Problem &problem, int64_t maxII);

/// True if `issueCycle` satisfies every dependence and modulo unit capacity
/// of `problem` at `ii`.
bool isValidModuloSchedule(const Problem &problem, int64_t ii,
                           const std::vector<int64_t> &issueCycle,
                           std::string *whyNot = nullptr);

/// Checks a phase 2 solution against every constraint of the joint model
/// (dependences with hand-off costs, unit and warp-group capacity, memory,
/// registers, dedicated producers, register-resident values). Used by tests
/// and as a self-check of the encoding.
bool isValidJointSchedule(const Problem &problem, const Solution &solution,
                          std::string *whyNot = nullptr);

/// Human-readable multi-line description of a solution.
std::string describeSolution(const Problem &problem, const Solution &solution);

} // namespace schedule
} // namespace weft

#endif // WEFT_SCHEDULE_SOLVER_H
