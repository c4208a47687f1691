//===- SchedulePasses.cpp - weft-attach-machine and weft-schedule ---------===//
#include "mlir/IR/Builders.h"
#include "weft/Dialect/Pipe/IR/PipeOps.h"
#include "weft/Dialect/Tile/IR/TileOps.h"
#include "weft/Schedule/LoopProblem.h"
#include "weft/Schedule/MachineModelAttr.h"
#include "weft/Schedule/Passes.h"
#include "weft/Schedule/ScheduleCache.h"
#include "weft/Schedule/Solver.h"
#include "weft/Target/MachineModels.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTATTACHMACHINE
#define GEN_PASS_DEF_WEFTSCHEDULE
#include "weft/Schedule/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;
namespace sched = ::weft::schedule;

static std::string knownMachines() {
  return llvm::join(::weft::target::knownMachineNames(), ", ");
}

namespace {
struct AttachMachinePass
    : public mlir::weft::impl::WeftAttachMachineBase<AttachMachinePass> {
  using WeftAttachMachineBase::WeftAttachMachineBase;
  void runOnOperation() override {
    std::optional<sched::MachineModel> model =
        ::weft::target::getMachineModel(target);
    if (!model) {
      getOperation().emitError("unknown machine '")
          << target << "'; known machines: " << knownMachines();
      return signalPassFailure();
    }
    getOperation()->setAttr(kMachineAttrName,
                            toMachineAttr(&getContext(), *model));
  }
};
} // namespace

/// The partition role a scheduled warp group plays, from what it issues:
/// only copies in -> load; only tensor-core ops -> mma (FA4's single-thread
/// issuer); tensor-core ops with math -> consumer (FA3's warp groups);
/// updates of accumulators in place -> correction; exponentials or
/// reductions -> compute (softmax); conversions and stores -> epilogue.
static pipe::PartitionRole roleOf(const sched::Problem &problem,
                                  const sched::WarpGroup &group) {
  bool loads = false, mma = false, math = false, stores = false,
       others = false, rescales = false;
  llvm::SmallDenseSet<unsigned> members(group.ops.begin(), group.ops.end());
  for (unsigned v : group.ops) {
    const std::string &kind = problem.ops[v].kind;
    if (kind == "tma_load" || kind == "cp_async" || kind == "load")
      loads = true;
    else if (kind == "mma")
      mma = true;
    else if (kind == "exp" || kind == "reduce" || kind == "exp_poly")
      math = true;
    else if (kind == "tma_store" || kind == "store")
      stores = true;
    else
      others = true;
  }
  for (const sched::Edge &edge : problem.edges)
    if (edge.inPlace && members.contains(edge.src) &&
        !members.contains(edge.dst) && problem.ops[edge.dst].kind == "mma")
      rescales = true;
  if (loads && !mma && !math && !stores && !others)
    return pipe::PartitionRole::load;
  if (mma)
    return (loads || math || stores || others) ? pipe::PartitionRole::consumer
                                               : pipe::PartitionRole::mma;
  if (rescales)
    return pipe::PartitionRole::correction;
  if (math)
    return pipe::PartitionRole::compute;
  return pipe::PartitionRole::epilogue;
}

/// Writes `solution` onto the loop and its ops.
static void annotate(scf::ForOp loop, const LoopProblem &built,
                     const sched::Solution &solution) {
  MLIRContext *context = loop.getContext();
  int64_t partitions = std::max<size_t>(1, solution.warpGroups.size());
  loop->setAttr(pipe::kScheduleAttrName,
                pipe::ScheduleAttr::get(
                    context, solution.ii, solution.lowerBound,
                    solution.provenOptimal, solution.stageCount,
                    solution.scheduleLength,
                    std::max<int64_t>(1, solution.iiCycles()), partitions));
  SmallVector<Attribute> groups;
  for (const sched::WarpGroup &group : solution.warpGroups)
    groups.push_back(pipe::GroupAttr::get(context, roleOf(built.problem, group),
                                          group.registerBudget,
                                          group.registersNeeded));
  loop->setAttr("pipe.groups", ArrayAttr::get(context, groups));
  for (auto [i, op] : llvm::enumerate(built.ops)) {
    unsigned group =
        i < solution.warpGroupOf.size() ? solution.warpGroupOf[i] : 0;
    op->setAttr(pipe::kPlacementAttrName,
                pipe::PlacementAttr::get(context, solution.stage[i],
                                         solution.issueCycle[i], group,
                                         std::max<int64_t>(
                                             1, solution.bufferDepth[i])));
  }
}

namespace {
struct SchedulePass : public mlir::weft::impl::WeftScheduleBase<SchedulePass> {
  using WeftScheduleBase::WeftScheduleBase;
  SchedulePass(const WeftScheduleOptions &options, ScheduleProgressFn progress)
      : WeftScheduleBase(options), progress(std::move(progress)) {}

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    sched::MachineModel machine;
    if (pipe::MachineAttr attr = lookupMachine(func)) {
      machine = toMachineModel(attr);
    } else if (std::optional<sched::MachineModel> preset =
                   ::weft::target::getMachineModel(target)) {
      machine = *preset;
    } else {
      func.emitError("unknown machine '")
          << target << "'; known machines: " << knownMachines();
      return signalPassFailure();
    }

    // Innermost loops over tiles are the pipelining candidates.
    SmallVector<scf::ForOp> loops;
    func.walk([&](scf::ForOp loop) {
      bool innermost = true;
      loop.getBody()->walk([&](scf::ForOp) { innermost = false; });
      bool hasTiles = false;
      loop.getBody()->walk([&](Operation *op) {
        if (isa<tile::TileDialect>(op->getDialect()))
          hasTiles = true;
      });
      if (innermost && hasTiles)
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops)
      if (failed(scheduleLoop(loop, machine)))
        return signalPassFailure();
  }

  LogicalResult scheduleLoop(scf::ForOp loop,
                             const sched::MachineModel &machine) {
    FailureOr<LoopProblem> built = buildLoopProblem(loop, machine);
    if (failed(built))
      return failure();
    sched::SolverOptions options;
    options.timeoutMs = timeoutMs;
    options.enableWarpSpecialization = warpSpecialize;
    options.normalizeTo = normalizeTo;
    if (progress)
      options.onProgress = [&](const sched::SolverProgress &p) {
        progress(loop, p);
      };

    // The key covers what changes the answer: problem, machine, settings.
    uint64_t key = sched::hashProblem(built->problem) ^
                   (uint64_t(warpSpecialize) << 1 | uint64_t(heuristic)) ^
                   (uint64_t(normalizeTo) * 0x9E3779B97F4A7C15ull);
    if (!cacheDir.empty())
      if (std::optional<sched::Solution> cached =
              loadCachedSolution(cacheDir, key, built->problem)) {
        annotate(loop, *built, *cached);
        loop.emitRemark("schedule taken from the cache");
        return success();
      }

    sched::SolveResult result =
        heuristic ? sched::solveHeuristic(built->problem, options)
                  : sched::solveSchedule(built->problem, options);
    if (!result.ok())
      return loop.emitError("cannot schedule loop on machine '")
             << machine.name << "': " << result.status.message;
    const sched::Solution &solution = result.solution;
    annotate(loop, *built, solution);
    if (reportStats) {
      const sched::SolveStats &stats = solution.stats;
      InFlightDiagnostic remark = loop.emitRemark();
      remark << llvm::formatv(
          "solved in {0:f1} ms (phase 1 {1:f1} ms, phase 2 {2:f1} ms), {3} "
          "IIs tried, II {4} (lower bound {5}), normalization scale {6:f2}, "
          "max cost error {7:p}",
          stats.totalMilliseconds, stats.phase1Milliseconds,
          stats.phase2Milliseconds, stats.iisTried, solution.ii,
          solution.lowerBound, solution.normalizationScale,
          solution.maxRelativeError);
      for (const sched::Attempt &attempt : stats.attempts)
        remark.attachNote() << llvm::formatv(
            "phase {0} II {1} length {2}: {3} in {4:f1} ms", attempt.phase,
            attempt.ii, attempt.scheduleLength, sched::toString(attempt.result),
            attempt.milliseconds);
    }
    if (!heuristic && !solution.provenOptimal)
      loop.emitRemark("schedule is not proven optimal: ")
          << (solution.remark.empty() ? "solver gave up" : solution.remark);
    if (!cacheDir.empty() && (heuristic || solution.provenOptimal))
      if (llvm::Error error = storeCachedSolution(cacheDir, key, solution))
        loop.emitWarning(llvm::toString(std::move(error)));
    return success();
  }

  ScheduleProgressFn progress;
};
} // namespace

std::unique_ptr<Pass>
mlir::weft::createWeftSchedule(const WeftScheduleOptions &options,
                               ScheduleProgressFn progress) {
  return std::make_unique<SchedulePass>(options, std::move(progress));
}
