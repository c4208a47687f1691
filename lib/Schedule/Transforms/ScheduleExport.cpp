//===- ScheduleExport.cpp - schedules as JSON, timelines and SVG ----------===//
#include "weft/Schedule/ScheduleExport.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "weft/Dialect/Tile/IR/TileOps.h"
#include "weft/Dialect/Utils/LocationUtils.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Dialect/Pipe/IR/PipeOps.h"
#include "weft/Schedule/LoopProblem.h"
#include "weft/Schedule/MachineModelAttr.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace mlir::weft;
namespace sched = ::weft::schedule;
namespace json = llvm::json;

/// A location as people name it: the ONNX node(s) or loc("name")s it
/// comes from ("attn_qk, attn_softmax, attn_pv" for a fused kernel), else
/// file:line:col.
static std::string locationString(Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  SmallVector<StringRef> names = getLocationNames(loc);
  if (!names.empty())
    llvm::interleaveComma(names, os);
  else if (FileLineColLoc file = getFileLocation(loc))
    os << file.getFilename().getValue() << ":" << file.getLine() << ":"
       << file.getColumn();
  else
    loc.print(os);
  return text;
}

static FailureOr<ScheduledLoop> collect(scf::ForOp loop) {
  ScheduledLoop result;
  auto schedule =
      loop->getAttrOfType<pipe::ScheduleAttr>(pipe::kScheduleAttrName);
  result.ii = schedule.getIi();
  result.lowerBound = schedule.getLowerBound();
  result.provenOptimal = schedule.getProvenOptimal();
  result.iiCycles = schedule.getIiCycles();
  result.stages = schedule.getStages();
  result.length = schedule.getLength();
  if (auto func = loop->getParentOfType<func::FuncOp>())
    result.function = func.getSymName().str();
  result.location = locationString(loop.getLoc());
  if (auto groups = loop->getAttrOfType<ArrayAttr>("pipe.groups"))
    for (Attribute g : groups)
      if (auto group = dyn_cast<pipe::GroupAttr>(g))
        result.partitions.push_back(
            {static_cast<int64_t>(result.partitions.size()),
             pipe::stringifyPartitionRole(group.getRole()).str(),
             group.getRegisters(), group.getNeeded()});
  pipe::MachineAttr machine = lookupMachine(loop);
  if (!machine)
    return loop.emitError("scheduled loop has no pipe.machine to export "
                          "costs from; schedule it after weft-attach-machine");
  sched::MachineModel model = toMachineModel(machine);
  FailureOr<LoopProblem> built = buildLoopProblem(loop, model);
  if (failed(built))
    return failure();
  // Normalized time -> machine cycles, as the solver scaled it.
  double scale = double(result.iiCycles) / double(result.ii);
  for (auto [i, op] : llvm::enumerate(built->ops)) {
    auto placement =
        op->getAttrOfType<pipe::PlacementAttr>(pipe::kPlacementAttrName);
    if (!placement)
      return op->emitError("op of a scheduled loop has no pipe.placement; "
                           "was the loop changed after weft-schedule?");
    const sched::Op &node = built->problem.ops[i];
    ScheduledOp placed;
    placed.name = op->getName().getStringRef().str();
    placed.kind = node.kind;
    placed.unit = node.reservations.empty()
                      ? std::string()
                      : model.units[node.reservations.front().unitIndex].name;
    placed.location = locationString(op->getLoc());
    placed.cycle = placement.getCycle();
    placed.stage = placement.getStage();
    placed.partition = placement.getPartition();
    placed.buffers = placement.getBuffers();
    placed.startCycles = static_cast<int64_t>(placed.cycle * scale);
    placed.occupancyCycles = std::max<int64_t>(1, node.occupancyEnd());
    placed.latencyCycles = node.latency;
    result.ops.push_back(std::move(placed));
  }
  return result;
}

static json::Value toJSON(const ScheduledLoop &loop) {
  json::Array partitions;
  for (const SchedulePartition &p : loop.partitions)
    partitions.push_back(json::Object{{"index", p.index},
                                      {"role", p.role},
                                      {"registers", p.registers},
                                      {"registers_needed", p.registersNeeded}});
  json::Array ops;
  for (const ScheduledOp &op : loop.ops)
    ops.push_back(json::Object{{"op", op.name},
                               {"kind", op.kind},
                               {"unit", op.unit},
                               {"cycle", op.cycle},
                               {"stage", op.stage},
                               {"partition", op.partition},
                               {"buffers", op.buffers},
                               {"start_cycles", op.startCycles},
                               {"occupancy_cycles", op.occupancyCycles},
                               {"latency_cycles", op.latencyCycles},
                               {"location", op.location}});
  return json::Object{{"function", loop.function},
                      {"location", loop.location},
                      {"ii", loop.ii},
                      {"lower_bound", loop.lowerBound},
                      {"proven_optimal", loop.provenOptimal},
                      {"ii_cycles", loop.iiCycles},
                      {"stages", loop.stages},
                      {"length", loop.length},
                      {"partitions", std::move(partitions)},
                      {"ops", std::move(ops)}};
}

/// Chrome trace events: one process per loop, one thread per (partition,
/// unit), `iterations` iterations started II apart; times in cycles (the
/// viewer's microseconds).
static void appendTrace(const ScheduledLoop &loop, int64_t pid,
                        unsigned iterations, json::Array &events) {
  events.push_back(json::Object{
      {"name", "process_name"}, {"ph", "M"}, {"pid", pid},
      {"args", json::Object{{"name", loop.function + " @ " + loop.location +
                                         " (II " +
                                         std::to_string(loop.iiCycles) +
                                         " cycles)"}}}});
  std::map<std::pair<int64_t, std::string>, int64_t> lanes;
  for (const ScheduledOp &op : loop.ops)
    lanes.emplace(std::make_pair(op.partition, op.unit), 0);
  int64_t tid = 0;
  for (auto &[key, id] : lanes) {
    id = tid++;
    std::string role =
        key.first < static_cast<int64_t>(loop.partitions.size())
            ? loop.partitions[key.first].role
            : "partition";
    events.push_back(json::Object{
        {"name", "thread_name"}, {"ph", "M"}, {"pid", pid}, {"tid", id},
        {"args", json::Object{{"name", "p" + std::to_string(key.first) + " " +
                                           role + " / " + key.second}}}});
    events.push_back(json::Object{{"name", "thread_sort_index"},
                                  {"ph", "M"},
                                  {"pid", pid},
                                  {"tid", id},
                                  {"args", json::Object{{"sort_index", id}}}});
  }
  for (unsigned it = 0; it < iterations; ++it)
    for (const ScheduledOp &op : loop.ops)
      events.push_back(json::Object{
          {"name", op.name + " (" + op.kind + ")"},
          {"cat", "iteration " + std::to_string(it)},
          {"ph", "X"},
          {"pid", pid},
          {"tid", lanes[{op.partition, op.unit}]},
          {"ts", op.startCycles + int64_t(it) * loop.iiCycles},
          {"dur", op.occupancyCycles},
          {"args", json::Object{{"iteration", static_cast<int64_t>(it)},
                                {"stage", op.stage},
                                {"latency_cycles", op.latencyCycles},
                                {"location", op.location}}}});
}

FailureOr<std::vector<ScheduledLoop>>
mlir::weft::collectSchedules(ModuleOp module) {
  std::vector<ScheduledLoop> loops;
  WalkResult walk = module.walk([&](scf::ForOp loop) {
    if (!loop->hasAttr(pipe::kScheduleAttrName))
      return WalkResult::advance();
    FailureOr<ScheduledLoop> collected = collect(loop);
    if (failed(collected))
      return WalkResult::interrupt();
    loops.push_back(std::move(*collected));
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  return loops;
}

void mlir::weft::writeSchedules(ArrayRef<ScheduledLoop> loops,
                                ScheduleFormat format, llvm::raw_ostream &os,
                                unsigned iterations) {
  switch (format) {
  case ScheduleFormat::JSON: {
    json::Array array;
    for (const ScheduledLoop &loop : loops)
      array.push_back(toJSON(loop));
    os << llvm::formatv("{0:2}",
                        json::Value(json::Object{{"loops", std::move(array)}}))
       << "\n";
    return;
  }
  case ScheduleFormat::ChromeTrace: {
    json::Array events;
    for (auto [i, loop] : llvm::enumerate(loops))
      appendTrace(loop, static_cast<int64_t>(i), iterations, events);
    os << llvm::formatv(
              "{0:2}", json::Value(json::Object{
                           {"traceEvents", std::move(events)},
                           {"displayTimeUnit", "ns"},
                           {"otherData",
                            json::Object{{"time_unit", "machine cycles"}}}}))
       << "\n";
    return;
  }
  case ScheduleFormat::SVG:
    detail::writeScheduleSVG(loops, iterations, os);
    return;
  case ScheduleFormat::Summary:
    for (const ScheduledLoop &loop : loops) {
      os << llvm::formatv("{0}: II {1} = {2} cycles, lower bound {3}, {4}, "
                          "{5} stages\n",
                          loop.function, loop.ii, loop.iiCycles,
                          loop.lowerBound,
                          loop.provenOptimal ? "proven optimal"
                                             : "NOT proven optimal",
                          loop.stages);
      for (const SchedulePartition &p : loop.partitions)
        os << llvm::formatv("    partition {0}: {1}, {2} registers\n",
                            p.index, p.role, p.registers);
    }
    return;
  }
}

LogicalResult mlir::weft::exportSchedules(ModuleOp module,
                                          ScheduleFormat format,
                                          llvm::raw_ostream &os,
                                          unsigned iterations) {
  FailureOr<std::vector<ScheduledLoop>> loops = collectSchedules(module);
  if (failed(loops))
    return failure();
  if (loops->empty())
    return module.emitError("no scheduled loop to export; run weft-schedule "
                            "first");
  writeSchedules(*loops, format, os, iterations);
  return success();
}

void mlir::weft::registerScheduleExport() {
  static llvm::cl::opt<ScheduleFormat> format(
      "schedule-format", llvm::cl::desc("format of --export-schedule"),
      llvm::cl::values(
          clEnumValN(ScheduleFormat::JSON, "json", "JSON document"),
          clEnumValN(ScheduleFormat::ChromeTrace, "trace",
                     "Chrome trace / Perfetto timeline"),
          clEnumValN(ScheduleFormat::SVG, "svg",
                     "Gantt chart per partition and unit (SVG)"),
          clEnumValN(ScheduleFormat::Summary, "summary",
                     "a line per loop and per partition")),
      llvm::cl::init(ScheduleFormat::JSON));
  static llvm::cl::opt<unsigned> iterations(
      "schedule-iterations",
      llvm::cl::desc("overlapped iterations drawn by --schedule-format=trace and svg"),
      llvm::cl::init(3));
  TranslateFromMLIRRegistration registration(
      "export-schedule", "export the schedules of scheduled loops",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a module");
        return exportSchedules(module, format, os, iterations);
      },
      [](DialectRegistry &registry) {
        // What weft-schedule's output is written in (the graph around tiled
        // kernels calls them through bufferization casts).
        registry.insert<pipe::PipeDialect, tile::TileDialect, func::FuncDialect,
                        scf::SCFDialect, arith::ArithDialect, math::MathDialect,
                        tensor::TensorDialect, memref::MemRefDialect,
                        bufferization::BufferizationDialect,
                        weft::WeftDialect>();
      });
}
