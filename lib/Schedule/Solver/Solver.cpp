//===- Solver.cpp - Schedule solver driver -------------------------------===//
//
// normalize -> MII -> phase 1 (optimal II of the modulo problem, with its
// UNSAT certificate) -> phase 2 (joint SWP + WS from that II upward). Every
// failure mode comes back as a Status or as a remark on a sub-optimal
// schedule; nothing throws.
//
//===----------------------------------------------------------------------===//

#include "SolverImpl.h"

#include <algorithm>

using namespace weft::schedule;
using namespace weft::schedule::detail;

namespace {
/// An II at which a schedule without any overlap exists: one iteration laid
/// out sequentially, each op after the previous one has finished.
int64_t automaticMaxII(const Problem &problem) {
  int64_t total = problem.machine.handoffCost + 1;
  for (const Op &op : problem.ops)
    total += std::max({op.latency, op.occupancyEnd(), op.issueCycles}) +
             problem.machine.handoffCost;
  for (const Edge &e : problem.edges)
    total += std::max<int64_t>(0, e.latency);
  return total;
}

struct Phase1Outcome {
  bool found = false;
  bool proven = true;
  int64_t ii = 0;
  std::vector<int64_t> issue;
  std::string error;
};

Phase1Outcome runPhase1(const Problem &problem, int64_t fromII, int64_t maxII,
                        const SolverOptions &options, const Deadline &deadline,
                        SolveStats &stats) {
  Phase1Outcome out;
  for (int64_t ii = fromII; ii <= maxII; ++ii) {
    if (deadline.expired()) {
      out.proven = false;
      out.error = "time limit reached in phase 1 at II " + std::to_string(ii);
      return out;
    }
    if (options.onProgress)
      options.onProgress({1, ii, fromII, deadline.elapsedMs()});
    Deadline query(0);
    std::string error;
    SatResult r = solveModuloAtII(problem, ii, deadline.remainingMs(),
                                  options.randomSeed, out.issue, error);
    stats.attempts.push_back({1, ii, 0, r, query.elapsedMs()});
    ++stats.iisTried;
    if (!error.empty()) {
      out.error = error;
      out.proven = false;
      return out;
    }
    if (r == SatResult::Sat) {
      out.found = true;
      out.ii = ii;
      return out;
    }
    if (r == SatResult::Unknown)
      out.proven = false;
  }
  return out;
}
} // namespace

SolveResult weft::schedule::solveModuloSchedule(const Problem &original,
                                                const SolverOptions &options) {
  SolveResult result;
  Deadline deadline(options.timeoutMs);
  Problem problem;
  MIIBounds bounds;
  if (!prepareProblem(original, options, result, problem, bounds))
    return result;
  Solution &s = result.solution;
  int64_t maxII = options.maxII > 0 ? options.maxII : automaticMaxII(problem);
  Phase1Outcome p1 =
      runPhase1(problem, bounds.mii(), maxII, options, deadline, s.stats);
  s.stats.phase1Milliseconds = s.stats.totalMilliseconds = deadline.elapsedMs();
  if (!p1.found) {
    result.status = Status::error(
        p1.error.empty() ? Status::NoSchedule : Status::SolverError,
        p1.error.empty()
            ? "no modulo schedule up to II " + std::to_string(maxII)
            : p1.error);
    return result;
  }
  s.ii = p1.ii;
  s.issueCycle = p1.issue;
  s.warpGroupOf.assign(problem.ops.size(), 0);
  s.provenOptimal = p1.proven;
  if (!p1.proven)
    s.remark = "some II below the result was not decided within the time "
               "limit";
  s.phase = 1;
  finishSolution(problem, s);
  return result;
}

bool detail::prepareProblem(const Problem &original,
                            const SolverOptions &options, SolveResult &result,
                            Problem &problem, MIIBounds &bounds) {
  std::string defect = validateProblem(original);
  if (!defect.empty()) {
    result.status = Status::error(Status::InvalidProblem, defect);
    return false;
  }
  Normalization norm;
  problem = normalizeProblem(original, options.normalizeTo, norm);
  result.status = computeMII(problem, bounds);
  if (!result.ok())
    return false;
  Solution &s = result.solution;
  s.normalizationScale = norm.scale;
  s.maxRelativeError = norm.maxRelativeError;
  s.resMII = bounds.resMII;
  s.recMII = bounds.recMII;
  s.lowerBound = bounds.mii();
  return true;
}

/// Derives stages, groups and buffers from the issue times and group
/// assignment, and re-checks a phase 2 schedule against every constraint of
/// the joint model before it leaves the solver.
static SolveResult finishJoint(const Problem &problem, SolveResult &result,
                               const Deadline &deadline) {
  Solution &s = result.solution;
  finishSolution(problem, s);
  if (s.phase == 2) {
    std::string why;
    if (!isValidJointSchedule(problem, s, &why)) {
      result.status = Status::error(
          Status::SolverError,
          "internal error: phase 2 schedule fails the checker: " + why);
      return result;
    }
  }
  s.stats.totalMilliseconds = deadline.elapsedMs();
  return result;
}

SolveResult weft::schedule::solveSchedule(const Problem &original,
                                          const SolverOptions &options) {
  SolveResult result;
  Deadline deadline(options.timeoutMs);
  Problem problem;
  MIIBounds bounds;
  if (!prepareProblem(original, options, result, problem, bounds))
    return result;

  Solution &s = result.solution;
  MIIBounds originalBounds;
  if (computeMII(original, originalBounds).ok() && originalBounds.mii() > 0)
    s.boundRelativeError = static_cast<double>(bounds.mii()) *
                               s.normalizationScale / originalBounds.mii() -
                           1.0;
  const int64_t maxII =
      options.maxII > 0 ? options.maxII : automaticMaxII(problem);

  // Fast path: a joint schedule at II = MII is optimal by the bound alone,
  // and phase 2's encoding often finds one faster than phase 1 proves the
  // modulo schedule that phase 2 would start from (FA on Blackwell: 0.7 s vs
  // 18 s). Only when none exists is the phase 1 certificate needed.
  if (options.enableWarpSpecialization && options.tryJointAtBound) {
    Solution atBound = s;
    JointOutcome direct = solveJoint(problem, bounds.mii(), bounds.mii(),
                                     options, deadline, atBound);
    if (direct.found && atBound.ii == bounds.mii()) {
      s = std::move(atBound);
      s.phase = 2;
      s.provenOptimal = true;
      s.remark = "II equals the lower bound";
      s.stats.phase2Milliseconds = deadline.elapsedMs();
      s.stats.iisTried = std::max<unsigned>(s.stats.iisTried, 1);
      return finishJoint(problem, result, deadline);
    }
    s.stats = atBound.stats;
  }

  const double beforePhase1 = deadline.elapsedMs();
  Phase1Outcome p1 =
      runPhase1(problem, bounds.mii(), maxII, options, deadline, s.stats);
  s.stats.phase1Milliseconds = deadline.elapsedMs() - beforePhase1;
  if (!p1.found) {
    // Nothing from the exact search: fall back to the heuristic and say so.
    SolveResult fallback = solveHeuristic(original, options);
    if (!fallback.ok()) {
      result.status = Status::error(
          p1.error.empty() ? Status::NoSchedule : Status::SolverError,
          (p1.error.empty()
               ? "no modulo schedule up to II " + std::to_string(maxII)
               : p1.error) +
              "; heuristic: " + fallback.status.message);
      return result;
    }
    SolveStats stats = s.stats;
    s = fallback.solution;
    s.stats.attempts = stats.attempts;
    s.stats.iisTried = stats.iisTried;
    s.provenOptimal = false;
    s.remark = "exact search gave no schedule (" + p1.error +
               "); heuristic schedule returned";
    s.stats.totalMilliseconds = deadline.elapsedMs();
    return result;
  }

  JointOutcome p2 = solveJoint(problem, p1.ii, maxII, options, deadline, s);
  s.stats.phase2Milliseconds =
      deadline.elapsedMs() - s.stats.phase1Milliseconds;
  if (p2.found) {
    s.phase = 2;
    if (s.ii == p1.ii) {
      // Phase 2 only adds constraints, so the phase 1 certificate covers it.
      s.provenOptimal = p1.proven;
      if (!p1.proven)
        s.remark = "some II below the result was not decided within the "
                   "time limit";
    } else {
      s.provenOptimal = p1.proven && p2.allSmallerUnsat;
      s.remark = "capacity / partition constraints raise II above the modulo "
                 "bound " +
                 std::to_string(p1.ii) +
                 "; smaller IIs are infeasible within " +
                 std::to_string(p2.stageBound) + " stages";
    }
  } else if (!p2.timedOut && p2.error.empty()) {
    // Proven infeasible (within the stage bound): a schedule that ignores
    // the machine's capacities would be a silent downgrade, so say so.
    result.status = Status::error(
        Status::NoSchedule,
        "no schedule fits machine '" + problem.machine.name +
            "' (shared memory, tensor memory, registers or warps) up to II " +
            std::to_string(maxII) +
            (p2.stageBound > 0
                 ? " within " + std::to_string(p2.stageBound) + " stages"
                 : std::string()));
    return result;
  } else {
    // Phase 2 timed out or failed: keep the phase 1 schedule (one warp
    // group, capacities unchecked) and report why.
    s.ii = p1.ii;
    s.issueCycle = p1.issue;
    s.warpGroupOf.assign(problem.ops.size(), 0);
    s.warpSpecialized = false;
    s.phase = 1;
    s.provenOptimal = false;
    s.remark =
        p2.timedOut ? "time limit reached in phase 2; returning the phase 1 "
                      "modulo schedule without warp specialization"
        : !p2.error.empty()
            ? "phase 2 failed (" + p2.error +
                  "); returning the phase 1 modulo schedule"
            : "phase 2 found no schedule up to II " + std::to_string(maxII) +
                  "; returning the phase 1 modulo schedule";
  }
  return finishJoint(problem, result, deadline);
}
