//===- Problem.cpp - Schedule problem helpers, hashing, validation -------===//

#include "weft/Schedule/Problem.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace weft::schedule;

int MachineModel::findUnit(const std::string &unitName) const {
  for (size_t i = 0; i < units.size(); ++i)
    if (units[i].name == unitName)
      return static_cast<int>(i);
  return -1;
}

const KindBinding *MachineModel::findKind(const std::string &kind) const {
  for (const KindBinding &binding : kinds)
    if (binding.kind == kind)
      return &binding;
  return nullptr;
}

int64_t Op::occupancyEnd() const {
  int64_t end = 1;
  for (const Reservation &r : reservations)
    end = std::max(end, r.offset + r.cycles);
  return end;
}

unsigned Problem::addOp(Op op) {
  ops.push_back(std::move(op));
  return static_cast<unsigned>(ops.size() - 1);
}

void Problem::addEdge(unsigned src, unsigned dst, int64_t distance,
                      bool inPlace) {
  int64_t latency = src < ops.size() ? ops[src].latency : 0;
  addEdge(src, dst, latency, distance, inPlace);
}

void Problem::addEdge(unsigned src, unsigned dst, int64_t latency,
                      int64_t distance, bool inPlace, bool scalarHandoff) {
  edges.push_back(Edge{src, dst, latency, distance, inPlace, scalarHandoff});
}

int64_t Solution::cycles(int64_t normalized) const {
  return static_cast<int64_t>(
      std::llround(static_cast<double>(normalized) * normalizationScale));
}
int64_t Solution::iiCycles() const { return cycles(ii); }
int64_t Solution::lowerBoundCycles() const { return cycles(lowerBound); }

const char *weft::schedule::toString(SatResult result) {
  switch (result) {
  case SatResult::Sat:
    return "SAT";
  case SatResult::Unsat:
    return "UNSAT";
  case SatResult::Unknown:
    return "UNKNOWN";
  }
  return "UNKNOWN";
}

//===----------------------------------------------------------------------===//
// Hashing: FNV-1a over a canonical little-endian serialization.
//===----------------------------------------------------------------------===//

namespace {
class StableHasher {
public:
  void addBytes(const void *data, size_t size) {
    const auto *bytes = static_cast<const unsigned char *>(data);
    for (size_t i = 0; i < size; ++i) {
      state ^= bytes[i];
      state *= 0x100000001b3ULL;
    }
  }
  void add(uint64_t value) {
    unsigned char bytes[8];
    for (int i = 0; i < 8; ++i)
      bytes[i] = static_cast<unsigned char>(value >> (8 * i));
    addBytes(bytes, 8);
  }
  void add(int64_t value) { add(static_cast<uint64_t>(value)); }
  void add(bool value) { add(static_cast<uint64_t>(value ? 1 : 0)); }
  void add(double value) {
    uint64_t bits;
    static_assert(sizeof(bits) == sizeof(value), "double is not 64-bit");
    std::memcpy(&bits, &value, sizeof(bits));
    add(bits);
  }
  void add(const std::string &text) {
    add(static_cast<uint64_t>(text.size()));
    addBytes(text.data(), text.size());
  }
  uint64_t get() const { return state; }

private:
  uint64_t state = 0xcbf29ce484222325ULL;
};
} // namespace

uint64_t weft::schedule::hashProblem(const Problem &problem) {
  StableHasher h;
  const MachineModel &m = problem.machine;
  h.add(std::string("weft.schedule.v1"));
  h.add(m.name);
  h.add(static_cast<uint64_t>(m.units.size()));
  for (const Unit &u : m.units) {
    h.add(u.name);
    h.add(u.count);
    h.add(u.workPerCycle);
    h.add(u.pipelineLatency);
  }
  h.add(static_cast<uint64_t>(m.kinds.size()));
  for (const KindBinding &k : m.kinds) {
    h.add(k.kind);
    h.add(k.unit);
    h.add(static_cast<uint64_t>(k.measure));
    h.add(k.variableLatency);
    h.add(k.asynchronous);
    h.add(k.asyncIssueCycles);
    h.add(k.extraLatency);
    h.add(k.workMultiplier);
  }
  h.add(m.smemBytes);
  h.add(m.tmemColumns);
  h.add(m.registerFileSize);
  h.add(m.maxRegsPerThread);
  h.add(m.maxWarpsPerBlock);
  h.add(m.threadsPerWarp);
  h.add(m.warpGroupSize);
  h.add(static_cast<uint64_t>(m.registerBudgets.size()));
  for (int64_t b : m.registerBudgets)
    h.add(b);
  h.add(m.registerAllocationGranule);
  h.add(m.handoffCost);
  h.add(m.clockGHz);
  h.add(m.processorCount);

  h.add(problem.name);
  h.add(problem.fixedSmemBytes);
  h.add(problem.fixedTmemColumns);
  h.add(static_cast<uint64_t>(problem.ops.size()));
  for (const Op &op : problem.ops) {
    h.add(op.name);
    h.add(op.kind);
    h.add(static_cast<uint64_t>(op.reservations.size()));
    for (const Reservation &r : op.reservations) {
      h.add(static_cast<uint64_t>(r.unitIndex));
      h.add(r.offset);
      h.add(r.cycles);
    }
    h.add(op.latency);
    h.add(op.issueCycles);
    h.add(op.smemBytes);
    h.add(op.tmemColumns);
    h.add(op.registersPerThread);
    h.add(op.registerResident);
    h.add(op.variableLatency);
  }
  h.add(static_cast<uint64_t>(problem.edges.size()));
  for (const Edge &e : problem.edges) {
    h.add(static_cast<uint64_t>(e.src));
    h.add(static_cast<uint64_t>(e.dst));
    h.add(e.latency);
    h.add(e.distance);
    h.add(e.inPlace);
    h.add(e.scalarHandoff);
  }
  return h.get();
}

std::string weft::schedule::validateProblem(const Problem &problem) {
  const MachineModel &m = problem.machine;
  if (problem.ops.empty())
    return "problem has no ops";
  for (size_t i = 0; i < m.units.size(); ++i)
    if (m.units[i].count < 1)
      return "unit '" + m.units[i].name + "' has count < 1";
  if (m.threadsPerWarp < 1 || m.warpGroupSize < 1 || m.maxWarpsPerBlock < 1)
    return "machine '" + m.name + "' has a non-positive thread geometry";
  for (int64_t b : m.registerBudgets)
    if (b < 1)
      return "machine '" + m.name + "' has a non-positive register budget";
  if (m.handoffCost < 0)
    return "negative hand-off cost";
  for (const Op &op : problem.ops) {
    const std::string where = "op '" + op.name + "': ";
    if (op.latency < 0)
      return where + "negative latency";
    if (op.issueCycles < 1)
      return where + "issueCycles must be at least 1";
    if (op.smemBytes < 0 || op.tmemColumns < 0 || op.registersPerThread < 0)
      return where + "negative footprint";
    for (const Reservation &r : op.reservations) {
      if (r.unitIndex >= m.units.size())
        return where + "reservation names unit " + std::to_string(r.unitIndex) +
               " but the machine has " + std::to_string(m.units.size());
      if (r.offset < 0 || r.cycles < 1)
        return where + "reservation needs offset >= 0 and cycles >= 1";
    }
  }
  for (const Edge &e : problem.edges) {
    if (e.src >= problem.ops.size() || e.dst >= problem.ops.size())
      return "edge " + std::to_string(e.src) + " -> " + std::to_string(e.dst) +
             " names a missing op";
    if (e.distance < 0)
      return "edge " + problem.ops[e.src].name + " -> " +
             problem.ops[e.dst].name + " has a negative distance";
    if (e.src == e.dst && e.distance == 0 && e.latency > 0)
      return "op '" + problem.ops[e.src].name +
             "' depends on itself in the same iteration";
  }
  return "";
}
