//===- Problem.h - Schedule problem and solution data model -----*- C++ -*-===//
//
// The data the schedule solver works on: a machine model (functional units and
// capacities), the dependence graph of one loop iteration (ops with reservation
// tables, edges with latency and iteration distance) and the solution (II,
// issue cycles, stages, warp-group partition, buffer depths, register split).
//
// This header is plain C++17 so that tools, passes, tests and benches can share
// it without pulling MLIR or Z3 in.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_SCHEDULE_PROBLEM_H
#define WEFT_SCHEDULE_PROBLEM_H

#include <cstdint>
#include <string>
#include <vector>

namespace weft {
namespace schedule {

/// How an op's amount of work is measured when its cost is estimated from a
/// machine model (see weft/Target/MachineModels.h).
enum class WorkMeasure { Flops, Bytes, Elements };

/// A functional unit class of the machine: `count` identical instances.
struct Unit {
  std::string name;
  int64_t count = 1;
  /// Throughput of one instance, in work units (FLOPs, bytes or elements, see
  /// KindBinding::measure) per cycle. Only used for cost estimation.
  double workPerCycle = 1.0;
  /// Pipeline latency added on top of the occupancy when estimating latency.
  int64_t pipelineLatency = 0;
};

/// How ops of a given kind use the machine; lets estimateCost turn a kind plus
/// an amount of work into a reservation table and a latency.
struct KindBinding {
  std::string kind;
  std::string unit;
  WorkMeasure measure = WorkMeasure::Elements;
  /// Result arrival time is not statically known (TMA, tcgen05 completion).
  bool variableLatency = false;
  /// The issuing warp group only spends `asyncIssueCycles` on the op; the unit
  /// runs it asynchronously (wgmma, TMA, tcgen05.mma).
  bool asynchronous = false;
  int64_t asyncIssueCycles = 1;
  /// Extra latency beyond occupancy + unit pipeline latency (memory latency).
  int64_t extraLatency = 0;
  /// Unit work per unit of op work (e.g. ~8 FMA-pipe ops per element of a
  /// polynomial exp2).
  double workMultiplier = 1.0;
};

/// Target description. Capacities are per SM / CU / core.
struct MachineModel {
  std::string name;
  std::vector<Unit> units;
  std::vector<KindBinding> kinds;

  int64_t smemBytes = 0;          ///< usable shared memory / LDS per block
  int64_t tmemColumns = 0;        ///< tensor memory columns (0 = none)
  int64_t registerFileSize = 0;   ///< 32-bit registers per SM / CU
  int64_t maxRegsPerThread = 255; ///< architectural per-thread limit
  int64_t maxWarpsPerBlock = 32;
  int64_t threadsPerWarp = 32;
  int64_t warpGroupSize = 4; ///< warps per warp group (4 on Hopper)
  /// Per-warp-group register limits a kernel can choose (setmaxnreg values).
  /// Empty means the target cannot rebalance registers between warp groups:
  /// every warp group gets the same per-thread allocation.
  std::vector<int64_t> registerBudgets;
  /// Granularity of a uniform register allocation when registerBudgets is
  /// empty.
  int64_t registerAllocationGranule = 8;
  /// Cycles for a cross-warp-group hand-off through a barrier.
  int64_t handoffCost = 0;

  // Informational, used by cost estimation and reports.
  double clockGHz = 1.0;
  int64_t processorCount = 1; ///< SMs / CUs / cores

  int64_t threadsPerWarpGroup() const { return threadsPerWarp * warpGroupSize; }
  /// Index of the unit called `unitName`, or -1.
  int findUnit(const std::string &unitName) const;
  /// Binding of `kind`, or nullptr.
  const KindBinding *findKind(const std::string &kind) const;
};

/// One row of a reservation table: the op holds `cycles` cycles of unit
/// `unitIndex`, starting `offset` cycles after it issues.
struct Reservation {
  unsigned unitIndex = 0;
  int64_t offset = 0;
  int64_t cycles = 1;
};

struct Op {
  std::string name;
  /// Classification such as "tma_load", "mma", "exp", "alu", "reduce"; keys
  /// into MachineModel::kinds and names warp-group roles.
  std::string kind;
  std::vector<Reservation> reservations;
  /// Cycles from issue until the result may be consumed (default latency of
  /// outgoing edges built with makeEdge).
  int64_t latency = 1;
  /// Cycles the issuing warp group is busy with the op: the full duration for
  /// work the group's threads execute (exp, reductions), the issue cost for
  /// asynchronous engines (TMA, wgmma, tcgen05). At least 1.
  int64_t issueCycles = 1;
  /// Footprint of one live copy of the result.
  int64_t smemBytes = 0;
  int64_t tmemColumns = 0;
  int64_t registersPerThread = 0;
  /// The result lives in the issuing warp group's registers (register tiles
  /// are private to threads), so every consumer must be on the same group.
  bool registerResident = false;
  /// Arrival time of the result is not statically known (TMA loads,
  /// tcgen05 completions): issued from a dedicated producer warp group.
  bool variableLatency = false;

  /// Cycle after issue at which the op stops occupying any unit (>= 1).
  int64_t occupancyEnd() const;
};

/// v = dst issues at least `latency` cycles after u = src of iteration
/// i - distance: M(v) - M(u) + distance * II >= latency.
struct Edge {
  unsigned src = 0;
  unsigned dst = 0;
  int64_t latency = 0;
  int64_t distance = 0;
  /// The consumer updates the producer's buffer in place (accumulator
  /// chains, write-after-read ordering): the edge orders the two ops but
  /// does not keep another copy of the producer's result alive.
  bool inPlace = false;
  /// The consumer needs only per-row scalars of the producer (running max,
  /// row sum), which can be handed to another warp group through shared
  /// memory even when the producer's tile is register-resident.
  bool scalarHandoff = false;
};

struct Problem {
  std::string name;
  std::vector<Op> ops;
  std::vector<Edge> edges;
  MachineModel machine;
  /// Memory held for the whole loop (e.g. the Q tile of attention).
  int64_t fixedSmemBytes = 0;
  int64_t fixedTmemColumns = 0;

  /// Adds an op and returns its index.
  unsigned addOp(Op op);
  /// Adds src -> dst with the producer's latency.
  void addEdge(unsigned src, unsigned dst, int64_t distance = 0,
               bool inPlace = false);
  void addEdge(unsigned src, unsigned dst, int64_t latency, int64_t distance,
               bool inPlace, bool scalarHandoff = false);
};

/// Stable 64-bit hash of everything that affects a solution (the problem and
/// its machine model); key for the schedule cache. Independent of host
/// endianness and of pointer values.
uint64_t hashProblem(const Problem &problem);

/// Checks indices, counts and sizes; returns an empty string when the problem
/// is well formed, otherwise a description of the first defect.
std::string validateProblem(const Problem &problem);

enum class SatResult { Sat, Unsat, Unknown };
const char *toString(SatResult result);

/// One solver query: which phase, which II / schedule length, the answer.
struct Attempt {
  int phase = 1; ///< 1 = modulo schedule, 2 = joint SWP + WS
  int64_t ii = 0;
  int64_t scheduleLength = 0; ///< phase 2 only
  SatResult result = SatResult::Unknown;
  double milliseconds = 0;
};

struct SolveStats {
  double totalMilliseconds = 0;
  double phase1Milliseconds = 0;
  double phase2Milliseconds = 0;
  unsigned iisTried = 0;
  std::vector<Attempt> attempts;
};

struct WarpGroup {
  unsigned index = 0;
  /// "producer:<kind>" for a group that issues only variable-latency ops of
  /// one kind (e.g. "producer:tma_load"), "consumer" otherwise.
  std::string role;
  int64_t registerBudget = 0;  ///< per-thread limit chosen for the group
  int64_t registersNeeded = 0; ///< live register cost of its ops
  std::vector<unsigned> ops;
};

struct Solution {
  /// All times are in normalized units (see normalizationScale); the
  /// *Cycles fields convert back to machine cycles.
  int64_t ii = 0;
  int64_t lowerBound = 0; ///< MII = max(resMII, recMII)
  int64_t resMII = 0;
  int64_t recMII = 0;
  /// Every II from the lower bound up to ii - 1 was proven infeasible.
  bool provenOptimal = false;
  /// Why the solution is not proven optimal, or other remarks.
  std::string remark;
  int64_t scheduleLength = 0; ///< last issue + 1, one iteration
  int64_t stageCount = 0;
  std::vector<int64_t> issueCycle; ///< M(v)
  std::vector<int64_t> stage;      ///< M(v) / II
  std::vector<unsigned> warpGroupOf;
  std::vector<WarpGroup> warpGroups;
  /// Live copies of each op's result (pipeline stages the value spans).
  std::vector<int64_t> bufferDepth;
  int64_t smemBytesUsed = 0;
  int64_t tmemColumnsUsed = 0;

  /// Every original cycle count c was replaced by ceil(c / scale); scaling a
  /// normalized schedule back by `scale` is valid for the original costs.
  /// Each cost of at least one unit (scale cycles) is overestimated by at
  /// most maxRelativeError; smaller ones by less than `scale` cycles.
  double normalizationScale = 1.0;
  double maxRelativeError = 0.0;
  /// (MII after normalization, in cycles) / (MII of the original costs) - 1:
  /// how much the normalization alone can cost in throughput.
  double boundRelativeError = 0.0;
  int64_t iiCycles() const;
  int64_t lowerBoundCycles() const;
  int64_t cycles(int64_t normalized) const;

  /// Variable-latency ops sit on dedicated producer groups (phase 2 with
  /// warp specialization enabled, or the heuristic's producer).
  bool warpSpecialized = false;
  /// The phase that produced the schedule: 1 (modulo only), 2 (joint SWP +
  /// WS), 0 (heuristic).
  int phase = 0;
  SolveStats stats;
};

} // namespace schedule
} // namespace weft

#endif // WEFT_SCHEDULE_PROBLEM_H
