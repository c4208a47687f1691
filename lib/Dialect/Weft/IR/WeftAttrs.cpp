//===- WeftAttrs.cpp - weft attributes -------------------------------------===//
//
// Verifiers and the bridge between `#weft.packed` and the C++ layout model;
// the layout rules themselves live once, in Utils/PackedLayout.cpp.
//
//===----------------------------------------------------------------------===//
#include "weft/Dialect/Weft/IR/WeftAttrs.h"

using namespace mlir;
using namespace mlir::weft;

static packing::Order toModel(LayoutOrder order) {
  switch (order) {
  case LayoutOrder::row_major:
    return packing::Order::RowMajor;
  case LayoutOrder::col_major:
    return packing::Order::ColMajor;
  case LayoutOrder::permuted:
    return packing::Order::Permuted;
  }
  return packing::Order::RowMajor;
}

static LayoutOrder fromModel(packing::Order order) {
  switch (order) {
  case packing::Order::RowMajor:
    return LayoutOrder::row_major;
  case packing::Order::ColMajor:
    return LayoutOrder::col_major;
  case packing::Order::Permuted:
    return LayoutOrder::permuted;
  }
  return LayoutOrder::row_major;
}

LogicalResult TileLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                     ArrayRef<int64_t> shape, LayoutOrder order,
                                     ArrayRef<int64_t> permutation) {
  if (shape.size() != 2)
    return emitError() << "tile shape must have 2 entries [rows, cols], got "
                       << shape.size();
  return packing::verifyTileLevel(
      shape[0], shape[1], toModel(order), permutation,
      [&](const Twine &message) { emitError() << message; });
}

static packing::PackedLayout
buildModel(ArrayRef<int64_t> logicalShape, IntegerType elementType,
           ArrayRef<TileLayoutAttr> tiles, LayoutOrder grid,
           ArrayRef<int64_t> interleave, SubByteOrder subByte) {
  packing::PackedLayout layout;
  layout.rows = logicalShape.size() > 0 ? logicalShape[0] : 0;
  layout.cols = logicalShape.size() > 1 ? logicalShape[1] : 0;
  layout.bitWidth = elementType.getWidth();
  layout.isSigned = !elementType.isUnsigned();
  layout.gridOrder = toModel(grid);
  for (TileLayoutAttr tile : tiles) {
    ArrayRef<int64_t> shape = tile.getShape();
    layout.levels.push_back(packing::TileLevel{
        shape.size() > 0 ? shape[0] : 0, shape.size() > 1 ? shape[1] : 0,
        toModel(tile.getOrder()),
        SmallVector<int64_t>(tile.getPermutation())});
  }
  layout.interleave.assign(interleave.begin(), interleave.end());
  layout.subByteOrder = subByte == SubByteOrder::high_first
                            ? packing::SubByteOrder::HighFirst
                            : packing::SubByteOrder::LowFirst;
  return layout;
}

LogicalResult
PackedLayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         ArrayRef<int64_t> logicalShape, IntegerType elementType,
                         ArrayRef<TileLayoutAttr> tiles, LayoutOrder grid,
                         ArrayRef<int64_t> interleave, SubByteOrder subByte) {
  if (logicalShape.size() != 2)
    return emitError() << "logical shape must be 2-D [K, N], got rank "
                       << logicalShape.size();
  if (elementType.isSigned())
    return emitError() << "logical element type must be signless or unsigned "
                          "(as weft quantized weights are), got "
                       << elementType;
  packing::PackedLayout layout = buildModel(logicalShape, elementType, tiles,
                                            grid, interleave, subByte);
  return layout.verify([&](const Twine &message) { emitError() << message; });
}

LogicalResult PackedLayoutAttr::verifyEncoding(
    ArrayRef<int64_t> shape, Type elementType,
    function_ref<InFlightDiagnostic()> emitError) const {
  if (!elementType.isSignlessInteger(8))
    return emitError() << "packed storage must have element type i8, got "
                       << elementType;
  if (ShapedType::isDynamicShape(shape))
    return emitError() << "packed storage must have a static shape";
  int64_t bytes = 1;
  for (int64_t dim : shape)
    bytes *= dim;
  int64_t expected = getLayout().totalBytes();
  if (bytes != expected)
    return emitError() << "packed storage holds " << bytes
                       << " bytes but the layout needs " << expected;
  return success();
}

packing::PackedLayout PackedLayoutAttr::getLayout() const {
  return buildModel(getLogicalShape(), getElementType(), getTiles(), getGrid(),
                    getInterleave(), getSubByte());
}

PackedLayoutAttr PackedLayoutAttr::get(IntegerType elementType,
                                       const packing::PackedLayout &layout) {
  MLIRContext *context = elementType.getContext();
  SmallVector<TileLayoutAttr> tiles;
  for (const packing::TileLevel &level : layout.levels)
    tiles.push_back(TileLayoutAttr::get(context, {level.rows, level.cols},
                                        fromModel(level.order),
                                        level.permutation));
  return PackedLayoutAttr::get(
      context, {layout.rows, layout.cols}, elementType, tiles,
      fromModel(layout.gridOrder), layout.interleave,
      layout.subByteOrder == packing::SubByteOrder::HighFirst
          ? SubByteOrder::high_first
          : SubByteOrder::low_first);
}

RankedTensorType PackedLayoutAttr::getLogicalType() const {
  return RankedTensorType::get(getLogicalShape(), getElementType());
}

RankedTensorType mlir::weft::getLogicalWeightType(RankedTensorType type) {
  if (auto packed = dyn_cast_or_null<PackedLayoutAttr>(type.getEncoding()))
    return packed.getLogicalType();
  return type;
}
