//===- Passes.h - schedule passes -------------------------------*- C++ -*-===//
#ifndef WEFT_SCHEDULE_PASSES_H
#define WEFT_SCHEDULE_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "weft/Dialect/Pipe/IR/PipeOps.h"
#include "weft/Schedule/Solver.h"

#include <functional>

namespace mlir::weft {

#define GEN_PASS_DECL
#include "weft/Schedule/Passes.h.inc"

/// Observes the solver of weft-schedule on `loop` (before each II it tries).
/// With a multi-threaded pass manager it is called from several threads.
using ScheduleProgressFn = std::function<void(
    scf::ForOp loop, const ::weft::schedule::SolverProgress &progress)>;

/// weft-schedule reporting its solver's progress to `progress`; the schedules
/// are the same as without it.
std::unique_ptr<Pass> createWeftSchedule(const WeftScheduleOptions &options,
                                         ScheduleProgressFn progress);

#define GEN_PASS_REGISTRATION
#include "weft/Schedule/Passes.h.inc"

} // namespace mlir::weft

#endif // WEFT_SCHEDULE_PASSES_H
