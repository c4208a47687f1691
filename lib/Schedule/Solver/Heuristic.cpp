//===- Heuristic.cpp - Triton-like baseline scheduler --------------------===//
//
// What a conventional pipeliner does, for comparison with the optimal
// schedule on identical costs: loads go to stage 0 as early as possible,
// every other op is list-scheduled once, in order, in the last stage, and an
// iteration's compute never overlaps the next iteration's compute. With warp
// specialization, one producer group issues the variable-latency loads and a
// single consumer group runs everything else.
//
//===----------------------------------------------------------------------===//

#include "SolverImpl.h"

#include <algorithm>
#include <map>
#include <queue>

using namespace weft::schedule;
using namespace weft::schedule::detail;

namespace {
bool isLoad(const Op &op) {
  return op.kind.find("load") != std::string::npos ||
         op.kind.find("cp_async") != std::string::npos;
}

/// Linear (non-modulo) resource table for the list scheduler.
class LinearTable {
public:
  LinearTable(const MachineModel &m) : machine(m), usage(m.units.size()) {}
  /// `groupWindow`: cycles the op holds the (single) consumer group.
  bool fits(const Op &op, int64_t t, int64_t groupWindow) const {
    for (const Reservation &r : op.reservations)
      for (int64_t j = 0; j < r.cycles; ++j)
        if (at(r.unitIndex, t + r.offset + j) >=
            machine.units[r.unitIndex].count)
          return false;
    for (int64_t j = 0; j < groupWindow; ++j)
      if (groupBusy.count(t + j))
        return false;
    return true;
  }
  void take(const Op &op, int64_t t, int64_t groupWindow) {
    for (const Reservation &r : op.reservations)
      for (int64_t j = 0; j < r.cycles; ++j)
        ++usage[r.unitIndex][t + r.offset + j];
    for (int64_t j = 0; j < groupWindow; ++j)
      groupBusy[t + j] = true;
  }

private:
  int64_t at(unsigned unit, int64_t t) const {
    auto it = usage[unit].find(t);
    return it == usage[unit].end() ? 0 : it->second;
  }
  const MachineModel &machine;
  std::vector<std::map<int64_t, int64_t>> usage;
  std::map<int64_t, bool> groupBusy;
};
} // namespace

SolveResult weft::schedule::solveHeuristic(const Problem &original,
                                           const SolverOptions &options) {
  SolveResult result;
  Deadline clock(0);
  Problem problem;
  MIIBounds bounds;
  if (!detail::prepareProblem(original, options, result, problem, bounds))
    return result;
  const size_t n = problem.ops.size();
  const MachineModel &m = problem.machine;
  // The reservation tables below are indexed by cycle.
  const int64_t tableLimit = int64_t(1) << 20;
  bool tooLong = bounds.mii() > tableLimit;
  for (const Op &op : problem.ops)
    tooLong |= op.occupancyEnd() > tableLimit || op.latency > tableLimit;
  if (tooLong) {
    result.status =
        Status::error(Status::NoSchedule,
                      "costs too large for the heuristic's reservation "
                      "tables; normalize costs (SolverOptions::normalizeTo)");
    return result;
  }

  // One producer group per variable-latency kind (the TMA producer; on
  // Blackwell also the tcgen05 issuer), one consumer group for the rest.
  bool producer = false;
  std::vector<unsigned> group(n, 0);
  if (options.enableWarpSpecialization) {
    std::vector<std::string> producerKinds;
    for (const Op &op : problem.ops)
      if (op.variableLatency &&
          std::find(producerKinds.begin(), producerKinds.end(), op.kind) ==
              producerKinds.end())
        producerKinds.push_back(op.kind);
    producer = !producerKinds.empty();
    for (size_t v = 0; v < n; ++v) {
      const Op &op = problem.ops[v];
      auto it = std::find(producerKinds.begin(), producerKinds.end(), op.kind);
      group[v] = op.variableLatency
                     ? static_cast<unsigned>(it - producerKinds.begin())
                     : static_cast<unsigned>(producerKinds.size());
    }
  }

  // Cross-group edges pay the hand-off.
  Problem withHandoff = problem;
  for (Edge &e : withHandoff.edges)
    if (group[e.src] != group[e.dst])
      e.latency += m.handoffCost;

  // List-schedule the compute ops of one iteration in topological order of
  // the same-iteration edges between them.
  std::vector<int64_t> listTime(n, 0);
  std::vector<unsigned> indegree(n, 0);
  for (const Edge &e : problem.edges)
    if (e.distance == 0 && !isLoad(problem.ops[e.src]) &&
        !isLoad(problem.ops[e.dst]))
      ++indegree[e.dst];
  std::priority_queue<unsigned, std::vector<unsigned>, std::greater<unsigned>>
      ready;
  for (size_t v = 0; v < n; ++v)
    if (!isLoad(problem.ops[v]) && indegree[v] == 0)
      ready.push(static_cast<unsigned>(v));
  LinearTable table(m);
  int64_t computeSpan = 0;
  std::vector<bool> placed(n, false);
  while (!ready.empty()) {
    unsigned v = ready.top();
    ready.pop();
    int64_t t = 0;
    for (const Edge &e : withHandoff.edges)
      if (e.dst == v && e.distance == 0 && placed[e.src])
        t = std::max(t, listTime[e.src] + e.latency);
    bool waits = false;
    for (const Edge &e : problem.edges)
      waits |= e.dst == v && group[e.src] != group[v];
    int64_t window = detail::groupHoldCycles(problem, problem.ops[v], waits);
    while (!table.fits(problem.ops[v], t, window))
      ++t;
    table.take(problem.ops[v], t, window);
    listTime[v] = t;
    placed[v] = true;
    computeSpan = std::max(computeSpan,
                           t + std::max(window, problem.ops[v].occupancyEnd()));
    for (const Edge &e : problem.edges)
      if (e.src == v && e.distance == 0 && !isLoad(problem.ops[e.dst]) &&
          --indegree[e.dst] == 0)
        ready.push(e.dst);
  }

  int64_t maxII = options.maxII;
  if (maxII <= 0) {
    maxII = computeSpan + 1;
    for (const Op &op : problem.ops)
      maxII += std::max(op.latency, op.occupancyEnd()) + m.handoffCost;
  }
  // The modulo table below is II entries wide per unit.
  if (std::max(bounds.mii(), computeSpan) > (int64_t(1) << 20)) {
    result.status =
        Status::error(Status::NoSchedule,
                      "II too large for the heuristic's reservation "
                      "table; normalize costs (SolverOptions::normalizeTo)");
    return result;
  }
  maxII = std::min<int64_t>(maxII, int64_t(1) << 20);
  std::vector<int64_t> issue(n, 0);
  int64_t found = 0;
  for (int64_t ii = std::max(bounds.mii(), computeSpan); ii <= maxII && !found;
       ++ii) {
    // Compute runs `stages` whole stages behind the loads (Triton's
    // num_stages - 1): try the shallowest pipeline that is valid.
    for (int64_t stages = 0; stages <= 4 && !found; ++stages) {
      const int64_t offset = stages * ii;
      // Compute residues are known: reserve them first.
      std::vector<std::vector<int64_t>> mrt(m.units.size(),
                                            std::vector<int64_t>(ii, 0));
      for (size_t v = 0; v < n; ++v) {
        if (isLoad(problem.ops[v]))
          continue;
        issue[v] = offset + listTime[v];
        for (const Reservation &r : problem.ops[v].reservations)
          for (int64_t j = 0; j < r.cycles; ++j)
            ++mrt[r.unitIndex][floorMod(listTime[v] + r.offset + j, ii)];
      }
      // Loads: as early as possible against the modulo table and their
      // predecessors (other loads, loop-carried compute results).
      bool loadsFit = true;
      for (size_t v = 0; v < n && loadsFit; ++v) {
        const Op &op = problem.ops[v];
        if (!isLoad(op))
          continue;
        int64_t t = 0;
        for (const Edge &e : withHandoff.edges) {
          if (e.dst != v || e.src == v)
            continue;
          if (!isLoad(problem.ops[e.src]) || e.src < v)
            t = std::max(t, issue[e.src] + e.latency - e.distance * ii);
        }
        auto fits = [&](int64_t at) {
          for (const Reservation &r : op.reservations)
            for (int64_t j = 0; j < r.cycles; ++j)
              if (mrt[r.unitIndex][floorMod(at + r.offset + j, ii)] >=
                  m.units[r.unitIndex].count)
                return false;
          return true;
        };
        int64_t start = t;
        while (!fits(t) && t < start + ii)
          ++t;
        if (!fits(t)) {
          loadsFit = false;
          break;
        }
        for (const Reservation &r : op.reservations)
          for (int64_t j = 0; j < r.cycles; ++j)
            ++mrt[r.unitIndex][floorMod(t + r.offset + j, ii)];
        issue[v] = t;
      }
      if (loadsFit && isValidModuloSchedule(withHandoff, ii, issue))
        found = ii;
    }
  }
  if (!found) {
    result.status =
        Status::error(Status::NoSchedule, "heuristic found no schedule up to "
                                          "II " +
                                              std::to_string(maxII));
    return result;
  }
  Solution &s = result.solution;
  s.ii = found;
  s.issueCycle = issue;
  s.warpGroupOf = group;
  s.warpSpecialized = producer;
  s.phase = 0;
  finishSolution(problem, s);
  std::string why;
  if (!isValidJointSchedule(problem, s, &why))
    s.remark = "heuristic schedule exceeds the machine: " + why;
  s.stats.totalMilliseconds = clock.elapsedMs();
  return result;
}
