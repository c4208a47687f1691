//===- Passes.h - schedule passes -------------------------------*- C++ -*-===//
#ifndef WEFT_SCHEDULE_PASSES_H
#define WEFT_SCHEDULE_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "weft/Dialect/Pipe/IR/PipeOps.h"

namespace mlir::weft {

#define GEN_PASS_DECL
#include "weft/Schedule/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "weft/Schedule/Passes.h.inc"

} // namespace mlir::weft

#endif // WEFT_SCHEDULE_PASSES_H
