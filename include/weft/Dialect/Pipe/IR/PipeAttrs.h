//===- PipeAttrs.h - pipe attributes and types ------------------*- C++ -*-===//
#ifndef WEFT_DIALECT_PIPE_IR_PIPEATTRS_H
#define WEFT_DIALECT_PIPE_IR_PIPEATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Types.h"
#include "weft/Dialect/Pipe/IR/PipeDialect.h"

#include "weft/Dialect/Pipe/IR/PipeEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "weft/Dialect/Pipe/IR/PipeAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "weft/Dialect/Pipe/IR/PipeTypes.h.inc"

namespace mlir::weft::pipe {
/// The discardable attribute names under which the schedule is attached.
inline constexpr llvm::StringLiteral kScheduleAttrName = "pipe.schedule";
inline constexpr llvm::StringLiteral kPlacementAttrName = "pipe.placement";
} // namespace mlir::weft::pipe

#endif // WEFT_DIALECT_PIPE_IR_PIPEATTRS_H
