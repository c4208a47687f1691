//===- ShapeUtils.h - shape rules shared by the weft dialects ---*- C++ -*-===//
//
// The graph (`weft`) and block (`tile`) levels state the same rules about
// axes and blockwise quantization parameters; they live here once.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_DIALECT_UTILS_SHAPEUTILS_H
#define WEFT_DIALECT_UTILS_SHAPEUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include <optional>

namespace mlir::weft {

/// Maps an ONNX-style axis (negative counts from the back) into [0, rank), or
/// nothing when it is out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Checks blockwise quantization parameters: `scale` (and `zeroPoint`, when
/// given) has `input`'s shape except along `axis`, where it has
/// ceil(dim / blockSize) entries, or 1 entry when `blockSize` is 0 (one scale
/// per slice); the zero point has the element type of `input`.
LogicalResult
verifyBlockwiseQuantization(llvm::function_ref<InFlightDiagnostic()> emitError,
                            ShapedType input, ShapedType scale,
                            ShapedType zeroPoint, int64_t axis,
                            int64_t blockSize);

} // namespace mlir::weft

#endif // WEFT_DIALECT_UTILS_SHAPEUTILS_H
