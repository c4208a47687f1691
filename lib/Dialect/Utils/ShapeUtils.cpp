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
