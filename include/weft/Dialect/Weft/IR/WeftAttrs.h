//===- WeftAttrs.h - weft attributes ----------------------------*- C++ -*-===//
#ifndef WEFT_DIALECT_WEFT_IR_WEFTATTRS_H
#define WEFT_DIALECT_WEFT_IR_WEFTATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TensorEncoding.h"
#include "weft/Dialect/Weft/IR/WeftDialect.h"
#include "weft/Dialect/Weft/Utils/PackedLayout.h"

#include "weft/Dialect/Weft/IR/WeftEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "weft/Dialect/Weft/IR/WeftAttrs.h.inc"

namespace mlir::weft {
/// The logical [K, N] type of a weight: `type` itself, or the logical type
/// of its `#weft.packed` encoding when it is packed storage.
RankedTensorType getLogicalWeightType(RankedTensorType type);
} // namespace mlir::weft

#endif // WEFT_DIALECT_WEFT_IR_WEFTATTRS_H
