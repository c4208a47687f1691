//===- Analysis.cpp - MII, normalization, checkers, reports --------------===//

#include "SolverImpl.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

using namespace weft::schedule;
using namespace weft::schedule::detail;

//===----------------------------------------------------------------------===//
// Graph helpers
//===----------------------------------------------------------------------===//

bool detail::longestPaths(unsigned nodeCount, const std::vector<Arc> &arcs,
                          std::vector<int64_t> &value) {
  value.resize(nodeCount, 0);
  // Bellman-Ford on longest paths: after nodeCount rounds without
  // convergence there is a positive cycle.
  for (unsigned round = 0; round <= nodeCount; ++round) {
    bool changed = false;
    for (const Arc &a : arcs) {
      int64_t candidate = value[a.src] + a.weight;
      if (candidate > value[a.dst]) {
        value[a.dst] = candidate;
        changed = true;
      }
    }
    if (!changed)
      return true;
  }
  return false;
}

std::vector<Arc> detail::dependenceArcs(const Problem &problem, int64_t ii,
                                        int64_t extraCrossGroupLatency) {
  std::vector<Arc> arcs;
  arcs.reserve(problem.edges.size());
  for (const Edge &e : problem.edges)
    arcs.push_back(
        {e.src, e.dst, e.latency + extraCrossGroupLatency - ii * e.distance});
  return arcs;
}

bool detail::forcedCrossGroup(const Problem &problem, const Edge &edge,
                              bool specialize) {
  if (!specialize || edge.src == edge.dst)
    return false;
  const Op &a = problem.ops[edge.src], &b = problem.ops[edge.dst];
  if (a.variableLatency != b.variableLatency)
    return true;
  return a.variableLatency && a.kind != b.kind;
}

namespace {
std::vector<Arc> phase2Arcs(const Problem &problem, int64_t ii,
                            bool specialize) {
  std::vector<Arc> arcs;
  for (const Edge &e : problem.edges) {
    int64_t handoff = forcedCrossGroup(problem, e, specialize)
                          ? problem.machine.handoffCost
                          : 0;
    arcs.push_back({e.src, e.dst, e.latency + handoff - ii * e.distance});
  }
  return arcs;
}
} // namespace

bool detail::asapTimes(const Problem &problem, int64_t ii,
                       std::vector<int64_t> &asap, bool specialize) {
  asap.assign(problem.ops.size(), 0);
  return longestPaths(problem.ops.size(), phase2Arcs(problem, ii, specialize),
                      asap);
}

bool detail::tailTimes(const Problem &problem, int64_t ii,
                       std::vector<int64_t> &tail, bool specialize) {
  std::vector<Arc> reversed;
  for (const Arc &a : phase2Arcs(problem, ii, specialize))
    reversed.push_back({a.dst, a.src, a.weight});
  tail.assign(problem.ops.size(), 0);
  return longestPaths(problem.ops.size(), reversed, tail);
}

bool detail::capacityLowerBoundsHold(const Problem &problem, int64_t ii,
                                     bool specialize) {
  const size_t n = problem.ops.size();
  const std::vector<Arc> arcs = phase2Arcs(problem, ii, specialize);
  const int64_t unreachable = std::numeric_limits<int64_t>::min() / 4;
  int64_t smem = problem.fixedSmemBytes, tmem = problem.fixedTmemColumns;
  const std::vector<int64_t> budgets = legalBudgets(problem.machine);
  const int64_t maxBudget = budgets.empty() ? 0 : budgets.back();
  int64_t singleGroupRegisters = 0;
  for (size_t v = 0; v < n; ++v) {
    const Op &op = problem.ops[v];
    if (op.smemBytes == 0 && op.tmemColumns == 0 && op.registersPerThread == 0)
      continue;
    // Longest paths from v (Bellman-Ford from a single source).
    std::vector<int64_t> dist(n, unreachable);
    dist[v] = 0;
    for (size_t round = 0; round < n; ++round) {
      bool changed = false;
      for (const Arc &a : arcs)
        if (dist[a.src] != unreachable &&
            dist[a.src] + a.weight > dist[a.dst]) {
          dist[a.dst] = dist[a.src] + a.weight;
          changed = true;
        }
      if (!changed)
        break;
    }
    int64_t lifetime = 1;
    for (const Edge &e : problem.edges)
      if (e.src == v && e.dst != v && !e.inPlace && dist[e.dst] != unreachable)
        lifetime = std::max(lifetime, dist[e.dst] + e.distance * ii +
                                          problem.ops[e.dst].occupancyEnd());
    const int64_t copies = std::max<int64_t>(1, ceilDiv(lifetime, ii));
    smem += op.smemBytes * copies;
    tmem += op.tmemColumns * copies;
    if (op.registersPerThread * copies > maxBudget)
      return false;
    singleGroupRegisters += op.registersPerThread * copies;
  }
  // Without warp specialization one group holds every register value.
  if (!specialize && singleGroupRegisters > maxBudget)
    return false;
  return smem <= problem.machine.smemBytes &&
         tmem <= problem.machine.tmemColumns;
}

//===----------------------------------------------------------------------===//
// MII
//===----------------------------------------------------------------------===//

Status weft::schedule::computeMII(const Problem &problem, MIIBounds &bounds) {
  std::string defect = validateProblem(problem);
  if (!defect.empty())
    return Status::error(Status::InvalidProblem, defect);
  const MachineModel &m = problem.machine;

  std::vector<int64_t> busy(m.units.size(), 0);
  for (const Op &op : problem.ops)
    for (const Reservation &r : op.reservations)
      busy[r.unitIndex] += r.cycles;
  bounds.resMII = 1;
  for (size_t u = 0; u < m.units.size(); ++u)
    bounds.resMII = std::max(bounds.resMII, ceilDiv(busy[u], m.units[u].count));

  // RecMII: the smallest II without a positive cycle in latency - II *
  // distance. Feasibility is monotone in II, so binary search is exact.
  int64_t latencySum = 0;
  for (const Edge &e : problem.edges)
    latencySum += std::max<int64_t>(0, e.latency);
  std::vector<int64_t> scratch;
  auto feasible = [&](int64_t ii) {
    scratch.clear();
    return longestPaths(problem.ops.size(), dependenceArcs(problem, ii),
                        scratch);
  };
  int64_t hi = latencySum + 1;
  if (!feasible(hi))
    return Status::error(Status::InvalidProblem,
                         "a dependence cycle of distance 0 has positive "
                         "latency; no initiation interval satisfies it");
  int64_t lo = 0;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (feasible(mid))
      hi = mid;
    else
      lo = mid + 1;
  }
  bounds.recMII = lo;
  return Status::success();
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

Problem weft::schedule::normalizeProblem(const Problem &problem,
                                         int64_t normalizeTo,
                                         Normalization &normalization) {
  normalization = Normalization();
  int64_t largest = 0;
  auto see = [&](int64_t c) { largest = std::max(largest, c); };
  for (const Op &op : problem.ops) {
    see(op.latency);
    see(op.issueCycles);
    see(op.occupancyEnd());
  }
  for (const Edge &e : problem.edges)
    see(e.latency);
  see(problem.machine.handoffCost);
  if (normalizeTo <= 0 || largest <= normalizeTo)
    return problem;

  // c -> ceil(c * normalizeTo / largest): exact integer arithmetic, scale =
  // largest / normalizeTo.
  const int64_t num = normalizeTo, den = largest;
  double worst = 0;
  auto up = [&](int64_t c) -> int64_t {
    if (c <= 0)
      return c < 0 ? -ceilDiv(-c * num, den) : 0;
    int64_t scaled = ceilDiv(c * num, den);
    // Values below one unit become one unit (absolute error < scale); the
    // relative bound is reported for the values the schedule is made of.
    if (c * num >= den) {
      double error =
          (static_cast<double>(scaled) * den / num - static_cast<double>(c)) /
          static_cast<double>(c);
      worst = std::max(worst, error);
    }
    return scaled;
  };
  auto down = [&](int64_t c) { return c * num / den; };

  Problem out = problem;
  for (Op &op : out.ops) {
    op.latency = up(op.latency);
    op.issueCycles = std::max<int64_t>(1, up(op.issueCycles));
    // Keep each reservation window covering the original one, so that the
    // scaled-back schedule is still conflict free.
    for (Reservation &r : op.reservations) {
      int64_t begin = down(r.offset);
      int64_t end = up(r.offset + r.cycles);
      // Account the error on the duration, not on the end point.
      int64_t cycles = std::max<int64_t>(1, end - begin);
      if (r.cycles * num >= den) {
        double error =
            (static_cast<double>(cycles) * den / num - r.cycles) / r.cycles;
        worst = std::max(worst, error);
      }
      r.offset = begin;
      r.cycles = cycles;
    }
  }
  for (Edge &e : out.edges)
    e.latency = up(e.latency);
  out.machine.handoffCost = up(problem.machine.handoffCost);
  normalization.scale = static_cast<double>(den) / static_cast<double>(num);
  normalization.maxRelativeError = worst;
  return out;
}

//===----------------------------------------------------------------------===//
// Buffers, registers, roles
//===----------------------------------------------------------------------===//

std::vector<int64_t> detail::bufferDepths(const Problem &problem, int64_t ii,
                                          const std::vector<int64_t> &issue) {
  std::vector<int64_t> depth(problem.ops.size(), 1);
  for (const Edge &e : problem.edges) {
    if (e.inPlace || e.src == e.dst)
      continue;
    int64_t release =
        issue[e.dst] + e.distance * ii + problem.ops[e.dst].occupancyEnd();
    int64_t lifetime = release - issue[e.src];
    depth[e.src] = std::max(depth[e.src], ceilDiv(lifetime, ii));
  }
  return depth;
}

int64_t detail::groupRegisterNeed(const Problem &problem,
                                  const std::vector<unsigned> &ops,
                                  const std::vector<int64_t> &depth) {
  int64_t need = 0;
  for (unsigned v : ops)
    need += problem.ops[v].registersPerThread * depth[v];
  return need;
}

std::vector<int64_t> detail::legalBudgets(const MachineModel &machine) {
  std::vector<int64_t> budgets = machine.registerBudgets;
  if (budgets.empty()) {
    int64_t granule = std::max<int64_t>(1, machine.registerAllocationGranule);
    for (int64_t b = granule; b <= machine.maxRegsPerThread; b += granule)
      budgets.push_back(b);
    if (budgets.empty() || budgets.back() != machine.maxRegsPerThread)
      budgets.push_back(machine.maxRegsPerThread);
  }
  std::sort(budgets.begin(), budgets.end());
  budgets.erase(std::unique(budgets.begin(), budgets.end()), budgets.end());
  return budgets;
}

bool detail::assignRegisterBudgets(const MachineModel &machine,
                                   const std::vector<int64_t> &needs,
                                   const std::vector<bool> &isProducer,
                                   std::vector<int64_t> &budgets) {
  const std::vector<int64_t> legal = legalBudgets(machine);
  const int64_t threads = machine.threadsPerWarpGroup();
  const size_t groups = needs.size();
  budgets.assign(groups, 0);
  if (groups == 0)
    return true;
  auto smallestCovering = [&](int64_t need) -> int64_t {
    for (int64_t b : legal)
      if (b >= need)
        return b;
    return -1;
  };
  auto largestBelow = [&](int64_t limit) -> int64_t {
    int64_t best = -1;
    for (int64_t b : legal)
      if (b <= limit)
        best = b;
    return best;
  };

  if (machine.registerBudgets.empty()) {
    // One allocation for every thread of the block.
    int64_t maxNeed = *std::max_element(needs.begin(), needs.end());
    int64_t share =
        machine.registerFileSize / (threads * static_cast<int64_t>(groups));
    int64_t budget = largestBelow(share);
    if (budget < 0 || budget < maxNeed)
      return false;
    budgets.assign(groups, budget);
    return true;
  }

  int64_t used = 0;
  size_t consumers = 0;
  for (size_t g = 0; g < groups; ++g) {
    if (!isProducer[g]) {
      ++consumers;
      continue;
    }
    budgets[g] = smallestCovering(needs[g]);
    if (budgets[g] < 0)
      return false;
    used += budgets[g] * threads;
  }
  if (consumers > 0) {
    int64_t share = (machine.registerFileSize - used) /
                    (threads * static_cast<int64_t>(consumers));
    int64_t even = largestBelow(share);
    for (size_t g = 0; g < groups; ++g) {
      if (isProducer[g])
        continue;
      budgets[g] = even >= needs[g] ? even : smallestCovering(needs[g]);
      if (budgets[g] < 0)
        return false;
    }
  }
  auto total = [&]() {
    int64_t sum = 0;
    for (int64_t b : budgets)
      sum += b * threads;
    return sum;
  };
  if (total() <= machine.registerFileSize)
    return true;
  // An uneven split: every group gets the least that covers its need.
  for (size_t g = 0; g < groups; ++g)
    budgets[g] = smallestCovering(needs[g]);
  return total() <= machine.registerFileSize;
}

std::string detail::groupRole(const Problem &problem,
                              const std::vector<unsigned> &ops) {
  std::string kind;
  for (unsigned v : ops) {
    const Op &op = problem.ops[v];
    if (!op.variableLatency || (!kind.empty() && kind != op.kind))
      return "consumer";
    kind = op.kind;
  }
  return kind.empty() ? "consumer" : "producer:" + kind;
}

void detail::finishSolution(const Problem &problem, Solution &solution) {
  const size_t n = problem.ops.size();
  const int64_t ii = std::max<int64_t>(1, solution.ii);
  solution.stage.assign(n, 0);
  int64_t last = 0;
  for (size_t v = 0; v < n; ++v) {
    solution.stage[v] = solution.issueCycle[v] / ii;
    last = std::max(last, solution.issueCycle[v]);
  }
  solution.scheduleLength = last + 1;
  solution.stageCount = ceilDiv(solution.scheduleLength, ii);
  solution.bufferDepth = bufferDepths(problem, ii, solution.issueCycle);
  if (solution.warpGroupOf.size() != n)
    solution.warpGroupOf.assign(n, 0);

  // Renumber groups densely in order of first op.
  std::map<unsigned, unsigned> dense;
  for (size_t v = 0; v < n; ++v)
    dense.emplace(solution.warpGroupOf[v], 0);
  std::vector<unsigned> order;
  for (size_t v = 0; v < n; ++v) {
    unsigned g = solution.warpGroupOf[v];
    if (std::find(order.begin(), order.end(), g) == order.end())
      order.push_back(g);
  }
  for (size_t i = 0; i < order.size(); ++i)
    dense[order[i]] = static_cast<unsigned>(i);
  solution.warpGroups.assign(order.size(), WarpGroup());
  for (size_t v = 0; v < n; ++v) {
    solution.warpGroupOf[v] = dense[solution.warpGroupOf[v]];
    solution.warpGroups[solution.warpGroupOf[v]].ops.push_back(
        static_cast<unsigned>(v));
  }
  std::vector<int64_t> needs;
  std::vector<bool> producer;
  for (size_t g = 0; g < solution.warpGroups.size(); ++g) {
    WarpGroup &group = solution.warpGroups[g];
    group.index = static_cast<unsigned>(g);
    group.role = groupRole(problem, group.ops);
    group.registersNeeded =
        groupRegisterNeed(problem, group.ops, solution.bufferDepth);
    needs.push_back(group.registersNeeded);
    producer.push_back(group.role.rfind("producer", 0) == 0);
  }
  std::vector<int64_t> budgets;
  if (assignRegisterBudgets(problem.machine, needs, producer, budgets)) {
    for (size_t g = 0; g < budgets.size(); ++g)
      solution.warpGroups[g].registerBudget = budgets[g];
  } else {
    for (WarpGroup &group : solution.warpGroups)
      group.registerBudget = group.registersNeeded;
  }
  solution.smemBytesUsed = problem.fixedSmemBytes;
  solution.tmemColumnsUsed = problem.fixedTmemColumns;
  for (size_t v = 0; v < n; ++v) {
    solution.smemBytesUsed +=
        problem.ops[v].smemBytes * solution.bufferDepth[v];
    solution.tmemColumnsUsed +=
        problem.ops[v].tmemColumns * solution.bufferDepth[v];
  }
}

//===----------------------------------------------------------------------===//
// Checkers
//===----------------------------------------------------------------------===//

namespace {
bool fail(std::string *whyNot, const std::string &message) {
  if (whyNot)
    *whyNot = message;
  return false;
}

bool checkUnits(const Problem &problem, int64_t ii,
                const std::vector<int64_t> &issue, std::string *whyNot) {
  const MachineModel &m = problem.machine;
  std::vector<std::vector<int64_t>> usage(m.units.size(),
                                          std::vector<int64_t>(ii, 0));
  for (size_t v = 0; v < problem.ops.size(); ++v)
    for (const Reservation &r : problem.ops[v].reservations)
      for (int64_t j = 0; j < r.cycles; ++j)
        ++usage[r.unitIndex][floorMod(issue[v] + r.offset + j, ii)];
  for (size_t u = 0; u < m.units.size(); ++u)
    for (int64_t c = 0; c < ii; ++c)
      if (usage[u][c] > m.units[u].count)
        return fail(whyNot, "unit '" + m.units[u].name + "' over capacity (" +
                                std::to_string(usage[u][c]) + " > " +
                                std::to_string(m.units[u].count) +
                                ") at residue " + std::to_string(c));
  return true;
}
} // namespace

bool weft::schedule::isValidModuloSchedule(const Problem &problem, int64_t ii,
                                           const std::vector<int64_t> &issue,
                                           std::string *whyNot) {
  if (ii < 1)
    return fail(whyNot, "II must be positive");
  if (issue.size() != problem.ops.size())
    return fail(whyNot, "issue vector has the wrong size");
  for (int64_t t : issue)
    if (t < 0)
      return fail(whyNot, "negative issue cycle");
  for (const Edge &e : problem.edges)
    if (issue[e.dst] - issue[e.src] + e.distance * ii < e.latency)
      return fail(whyNot, "dependence " + problem.ops[e.src].name + " -> " +
                              problem.ops[e.dst].name + " violated");
  return checkUnits(problem, ii, issue, whyNot);
}

bool weft::schedule::isValidJointSchedule(const Problem &problem,
                                          const Solution &solution,
                                          std::string *whyNot) {
  const size_t n = problem.ops.size();
  const MachineModel &m = problem.machine;
  const int64_t ii = solution.ii;
  if (ii < 1 || solution.issueCycle.size() != n ||
      solution.warpGroupOf.size() != n)
    return fail(whyNot, "solution is incomplete");
  const auto &issue = solution.issueCycle;
  const auto &group = solution.warpGroupOf;
  for (int64_t t : issue)
    if (t < 0)
      return fail(whyNot, "negative issue cycle");

  std::vector<bool> waits(n, false);
  for (const Edge &e : problem.edges) {
    bool cross = group[e.src] != group[e.dst];
    int64_t need = e.latency + (cross ? m.handoffCost : 0);
    if (issue[e.dst] - issue[e.src] + e.distance * ii < need)
      return fail(whyNot, "dependence " + problem.ops[e.src].name + " -> " +
                              problem.ops[e.dst].name + " violated");
    if (cross) {
      waits[e.dst] = true;
      if (problem.ops[e.src].registerResident && !e.scalarHandoff)
        return fail(whyNot, "register-resident value of '" +
                                problem.ops[e.src].name +
                                "' crosses warp groups");
    }
  }
  if (!checkUnits(problem, ii, issue, whyNot))
    return false;

  // Each warp group issues one op at a time; an op waiting on another
  // group's value also holds its group while it blocks on the hand-off.
  unsigned groupCount = 0;
  for (unsigned g : group)
    groupCount = std::max(groupCount, g + 1);
  std::vector<std::vector<int>> busy(groupCount, std::vector<int>(ii, 0));
  for (size_t v = 0; v < n; ++v) {
    const Op &op = problem.ops[v];
    int64_t window = detail::groupHoldCycles(problem, op, waits[v]);
    if (window > ii)
      return fail(whyNot, "op '" + op.name +
                              "' holds its warp group longer "
                              "than II");
    for (int64_t j = 0; j < window; ++j)
      if (++busy[group[v]][floorMod(issue[v] + j, ii)] > 1)
        return fail(whyNot, "warp group " + std::to_string(group[v]) +
                                " issues two ops at once ('" + op.name + "')");
  }

  if (solution.warpSpecialized) {
    for (size_t v = 0; v < n; ++v) {
      if (!problem.ops[v].variableLatency)
        continue;
      for (size_t u = 0; u < n; ++u)
        if (group[u] == group[v] &&
            (!problem.ops[u].variableLatency ||
             problem.ops[u].kind != problem.ops[v].kind))
          return fail(whyNot, "variable-latency op '" + problem.ops[v].name +
                                  "' shares its group with '" +
                                  problem.ops[u].name + "'");
    }
  }

  std::vector<int64_t> depth = bufferDepths(problem, ii, issue);
  int64_t smem = problem.fixedSmemBytes, tmem = problem.fixedTmemColumns;
  for (size_t v = 0; v < n; ++v) {
    smem += problem.ops[v].smemBytes * depth[v];
    tmem += problem.ops[v].tmemColumns * depth[v];
  }
  if (smem > m.smemBytes)
    return fail(whyNot, "shared memory over capacity: " + std::to_string(smem));
  if (tmem > m.tmemColumns)
    return fail(whyNot, "tensor memory over capacity: " + std::to_string(tmem));

  std::vector<std::vector<unsigned>> members(groupCount);
  for (size_t v = 0; v < n; ++v)
    members[group[v]].push_back(static_cast<unsigned>(v));
  if (groupCount * m.warpGroupSize > static_cast<unsigned>(m.maxWarpsPerBlock))
    return fail(whyNot, "too many warps");
  std::vector<int64_t> needs;
  std::vector<bool> producer;
  for (unsigned g = 0; g < groupCount; ++g) {
    needs.push_back(groupRegisterNeed(problem, members[g], depth));
    producer.push_back(groupRole(problem, members[g]).rfind("producer", 0) ==
                       0);
  }
  std::vector<int64_t> budgets;
  if (!assignRegisterBudgets(m, needs, producer, budgets))
    return fail(whyNot, "register needs do not fit the register file");
  return true;
}

//===----------------------------------------------------------------------===//
// Report
//===----------------------------------------------------------------------===//

std::string weft::schedule::describeSolution(const Problem &problem,
                                             const Solution &s) {
  std::ostringstream os;
  os << "problem " << problem.name << " on " << problem.machine.name << "\n";
  os << "  II " << s.ii << " (" << s.iiCycles() << " cycles), MII "
     << s.lowerBound << " (res " << s.resMII << ", rec " << s.recMII << ")"
     << (s.provenOptimal ? ", proven optimal" : ", not proven optimal")
     << ", phase " << s.phase << "\n";
  os << "  normalization scale " << s.normalizationScale
     << ", max relative error " << s.maxRelativeError << ", MII error "
     << s.boundRelativeError << "\n";
  os << "  schedule length " << s.scheduleLength << ", stages " << s.stageCount
     << ", smem " << s.smemBytesUsed << " B, tmem " << s.tmemColumnsUsed
     << " cols\n";
  if (!s.remark.empty())
    os << "  remark: " << s.remark << "\n";
  for (const WarpGroup &g : s.warpGroups) {
    os << "  warp group " << g.index << " [" << g.role << "] regs "
       << g.registersNeeded << "/" << g.registerBudget << ":";
    for (unsigned v : g.ops)
      os << " " << problem.ops[v].name;
    os << "\n";
  }
  for (size_t v = 0; v < problem.ops.size() && v < s.issueCycle.size(); ++v) {
    os << "    " << problem.ops[v].name << " @" << s.issueCycle[v] << " (mod "
       << floorMod(s.issueCycle[v], std::max<int64_t>(1, s.ii)) << ") stage "
       << (v < s.stage.size() ? s.stage[v] : 0) << " wg "
       << (v < s.warpGroupOf.size() ? s.warpGroupOf[v] : 0) << " depth "
       << (v < s.bufferDepth.size() ? s.bufferDepth[v] : 1) << "\n";
  }
  return os.str();
}
