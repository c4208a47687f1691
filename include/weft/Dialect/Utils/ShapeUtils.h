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
/// per slice); the zero point has the element type of `input`. It also
/// checks the element types (see isQuantizedStorageType and
/// isBlockScaleType): a float input (fp8 / fp4) takes no zero point, and a
/// block-scale type comes with its format's input type and block size.
LogicalResult
verifyBlockwiseQuantization(llvm::function_ref<InFlightDiagnostic()> emitError,
                            ShapedType input, ShapedType scale,
                            ShapedType zeroPoint, int64_t axis,
                            int64_t blockSize);

/// The element types a quantized value is stored in: integers of any width
/// (signless = signed, `ui` = unsigned), f8E4M3FN, f8E5M2 and f4E2M1FN.
bool isQuantizedStorageType(Type type);

/// Scale types that are themselves narrow formats with a fixed block size:
/// f8E8M0FNU (OCP MX: power-of-two scales, blocks of 32, any fp8 / fp4 /
/// 8-bit integer input) and f8E4M3FN (NVFP4: blocks of 16, f4E2M1FN input).
/// Their dequantized values are f32 unless a tile op names f16 / bf16.
bool isBlockScaleType(Type type);

/// The element type of a dequantized value with scales of type `scale`: the
/// scale's type, or f32 for a block-scale type.
Type dequantizedElementType(Type scale);

} // namespace mlir::weft

#endif // WEFT_DIALECT_UTILS_SHAPEUTILS_H
