//===- ShapeUtils.cpp - shape rules shared by the weft dialects -----------===//
#include "weft/Dialect/Utils/ShapeUtils.h"

using namespace mlir;

std::optional<int64_t> weft::normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

LogicalResult weft::verifyBlockwiseQuantization(
    llvm::function_ref<InFlightDiagnostic()> emitError, ShapedType input,
    ShapedType scale, ShapedType zeroPoint, int64_t axis, int64_t blockSize) {
  Type inElem = input.getElementType(), scaleElem = scale.getElementType();
  if (!isQuantizedStorageType(inElem))
    return emitError() << "input element type must be an integer, f8E4M3FN, "
                          "f8E5M2 or f4E2M1FN, got "
                       << inElem;
  if (zeroPoint && isa<FloatType>(inElem))
    return emitError() << "a zero point needs an integer input, got "
                       << inElem;
  if (isBlockScaleType(scaleElem)) {
    bool mx = isa<Float8E8M0FNUType>(scaleElem);
    int64_t expectedBlock = mx ? 32 : 16;
    bool inputFits =
        mx ? (isa<FloatType>(inElem) || inElem.getIntOrFloatBitWidth() == 8)
           : isa<Float4E2M1FNType>(inElem);
    if (!inputFits)
      return emitError() << scaleElem << " block scales need "
                         << (mx ? "an fp8, fp4 or 8-bit integer"
                                : "an f4E2M1FN")
                         << " input, got " << inElem;
    if (blockSize != expectedBlock)
      return emitError() << scaleElem << " block scales need block_size "
                         << expectedBlock << ", got " << blockSize;
    if (zeroPoint)
      return emitError() << scaleElem << " block scales take no zero point";
  } else if (!isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(
                 scaleElem)) {
    return emitError() << "scale element type must be f16, bf16, f32, f64 or "
                          "a block-scale type (f8E8M0FNU, f8E4M3FN), got "
                       << scaleElem;
  }
  std::optional<int64_t> dim = normalizeAxis(axis, input.getRank());
  if (!dim)
    return emitError() << "axis " << axis << " is out of range for rank "
                       << input.getRank();
  if (blockSize < 0)
    return emitError() << "block_size must be non-negative, got " << blockSize;
  if (scale.getRank() != input.getRank())
    return emitError() << "scale must have rank " << input.getRank()
                       << ", got " << scale.getRank();
  for (int64_t i = 0, e = input.getRank(); i < e; ++i) {
    int64_t inDim = input.getDimSize(i);
    int64_t scaleDim = scale.getDimSize(i);
    if (ShapedType::isDynamic(inDim) || ShapedType::isDynamic(scaleDim))
      continue;
    int64_t expected = inDim;
    if (i == *dim)
      expected = blockSize == 0 ? 1 : (inDim + blockSize - 1) / blockSize;
    if (scaleDim != expected)
      return emitError() << "scale dimension " << i << " must be " << expected
                         << " (block_size " << blockSize << "), got "
                         << scaleDim;
  }
  if (!zeroPoint)
    return success();
  if (zeroPoint.getShape() != scale.getShape())
    return emitError() << "zero_point must have the shape of scale";
  if (zeroPoint.getElementType() != input.getElementType())
    return emitError() << "zero_point must have the element type of the input ("
                       << input.getElementType() << "), got "
                       << zeroPoint.getElementType();
  return success();
}

bool weft::isQuantizedStorageType(Type type) {
  return isa<IntegerType, Float8E4M3FNType, Float8E5M2Type, Float4E2M1FNType>(
      type);
}

bool weft::isBlockScaleType(Type type) {
  return isa<Float8E8M0FNUType, Float8E4M3FNType>(type);
}

Type weft::dequantizedElementType(Type scale) {
  return isBlockScaleType(scale) ? Float32Type::get(scale.getContext())
                                 : scale;
}
