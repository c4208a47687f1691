//===- ScheduleExport.h - schedules as JSON, timelines and SVG --*- C++ -*-===//
#ifndef WEFT_SCHEDULE_SCHEDULEEXPORT_H
#define WEFT_SCHEDULE_SCHEDULEEXPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mlir::weft {

enum class ScheduleFormat { JSON, ChromeTrace, SVG, Summary };

/// One op of a scheduled loop: where the schedule put it (normalized units)
/// and what it costs in machine cycles.
struct ScheduledOp {
  std::string name, kind, unit, location;
  int64_t cycle = 0, stage = 0, partition = 0, buffers = 1;
  int64_t startCycles = 0, occupancyCycles = 0, latencyCycles = 0;
};

/// One warp group (partition) of a schedule.
struct SchedulePartition {
  int64_t index = 0;
  std::string role;
  int64_t registers = 0, registersNeeded = 0;
};

/// Everything weft-schedule decided for one loop, read back from the IR
/// (`#pipe.schedule`, `pipe.groups`, `#pipe.placement`) with the costs of the
/// machine model the loop was scheduled for.
struct ScheduledLoop {
  std::string function, location;
  int64_t ii = 0, lowerBound = 0, iiCycles = 0, stages = 0, length = 0;
  /// Every II in [lowerBound, ii) was shown infeasible (UNSAT): the
  /// optimality certificate.
  bool provenOptimal = false;
  std::vector<SchedulePartition> partitions;
  std::vector<ScheduledOp> ops;
};

/// Reads back every scheduled loop of `module` (weft-schedule's output).
/// Fails with a diagnostic if a scheduled loop has no machine or was changed
/// since it was scheduled.
FailureOr<std::vector<ScheduledLoop>> collectSchedules(ModuleOp module);

/// Writes `loops` as JSON (II, bound, certificate, partitions, per-op
/// placement with its unit and cost in machine cycles), as a Chrome trace /
/// Perfetto timeline, as an SVG Gantt chart (one lane per partition and
/// unit), the two showing `iterations` overlapped iterations, or as a text
/// summary (a line per loop and one per partition, weft-compile
/// --print-schedule).
void writeSchedules(ArrayRef<ScheduledLoop> loops, ScheduleFormat format,
                    llvm::raw_ostream &os, unsigned iterations = 3);

namespace detail {
/// The SVG Gantt chart of writeSchedules (ScheduleSVG.cpp).
void writeScheduleSVG(ArrayRef<ScheduledLoop> loops, unsigned iterations,
                      llvm::raw_ostream &os);
} // namespace detail

/// collectSchedules + writeSchedules; fails with a diagnostic when the module
/// has no scheduled loop.
LogicalResult exportSchedules(ModuleOp module, ScheduleFormat format,
                              llvm::raw_ostream &os, unsigned iterations = 3);

/// Registers `--export-schedule` with weft-translate.
void registerScheduleExport();

} // namespace mlir::weft

#endif // WEFT_SCHEDULE_SCHEDULEEXPORT_H
