//===- ScheduleExport.h - schedules as JSON and timelines -------*- C++ -*-===//
#ifndef WEFT_SCHEDULE_SCHEDULEEXPORT_H
#define WEFT_SCHEDULE_SCHEDULEEXPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::weft {

enum class ScheduleFormat { JSON, ChromeTrace };

/// Writes every scheduled loop of `module` (weft-schedule's output) as JSON
/// (II, bound, certificate, partitions, per-op placement with its unit and
/// cost in machine cycles) or as a Chrome trace / Perfetto timeline showing
/// `iterations` overlapped iterations per partition and unit. Fails with a
/// diagnostic if a scheduled loop has no machine or was changed since.
LogicalResult exportSchedules(ModuleOp module, ScheduleFormat format,
                              llvm::raw_ostream &os, unsigned iterations = 3);

/// Registers `--export-schedule` with weft-translate.
void registerScheduleExport();

} // namespace mlir::weft

#endif // WEFT_SCHEDULE_SCHEDULEEXPORT_H
