//===- WeftOps.cpp - weft graph ops ----------------------------------------===//
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "weft/Dialect/Utils/ShapeUtils.h"

using namespace mlir;
using namespace mlir::weft;

#include "weft/Dialect/Weft/IR/WeftEnums.cpp.inc"


//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

static LogicalResult inferBroadcastType(std::optional<Location> location,
                                        Value lhs, Value rhs,
                                        SmallVectorImpl<Type> &results) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  SmallVector<int64_t> shape;
  if (!OpTrait::util::getBroadcastedShape(lhsType.getShape(),
                                          rhsType.getShape(), shape))
    return emitOptionalError(location, "operand shapes do not broadcast: ",
                             lhsType, " vs ", rhsType);
  results.push_back(RankedTensorType::get(shape, lhsType.getElementType()));
  return success();
}

#define WEFT_BINARY_INFER(OP)                                                  \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> location, Adaptor adaptor,        \
      SmallVectorImpl<Type> &results) {                                        \
    return inferBroadcastType(location, adaptor.getLhs(), adaptor.getRhs(),    \
                              results);                                        \
  }
WEFT_BINARY_INFER(AddOp)
WEFT_BINARY_INFER(SubOp)
WEFT_BINARY_INFER(MulOp)
WEFT_BINARY_INFER(DivOp)
WEFT_BINARY_INFER(MaxOp)
WEFT_BINARY_INFER(MinOp)
WEFT_BINARY_INFER(AndOp)
WEFT_BINARY_INFER(OrOp)
WEFT_BINARY_INFER(XorOp)
WEFT_BINARY_INFER(PowOp)
#undef WEFT_BINARY_INFER

LogicalResult CompareOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> location,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  if (failed(inferBroadcastType(location, adaptor.getLhs(), adaptor.getRhs(),
                                results)))
    return failure();
  results.back() = cast<RankedTensorType>(results.back())
                       .clone(IntegerType::get(ctx, 1));
  return success();
}

LogicalResult WhereOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> location,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  auto cond = cast<RankedTensorType>(adaptor.getCondition().getType());
  auto lhs = cast<RankedTensorType>(adaptor.getTrueValue().getType());
  auto rhs = cast<RankedTensorType>(adaptor.getFalseValue().getType());
  if (lhs.getElementType() != rhs.getElementType())
    return emitOptionalError(location, "value element types differ: ",
                             lhs.getElementType(), " vs ",
                             rhs.getElementType());
  SmallVector<int64_t> values, shape;
  if (!OpTrait::util::getBroadcastedShape(lhs.getShape(), rhs.getShape(),
                                          values) ||
      !OpTrait::util::getBroadcastedShape(cond.getShape(), values, shape))
    return emitOptionalError(location, "operand shapes do not broadcast: ",
                             cond, ", ", lhs, ", ", rhs);
  results.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

LogicalResult CastOp::verify() {
  if (getInput().getType().getShape() != getResult().getType().getShape())
    return emitOpError("shape changes from ")
           << getInput().getType() << " to " << getResult().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Data movement: ConcatOp, SliceOp, GatherOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitOptionalError(location, "concat needs at least one input");
  auto first = cast<RankedTensorType>(inputs.front().getType());
  int64_t rank = first.getRank();
  std::optional<int64_t> axis = normalizeAxis(adaptor.getAxis(), rank);
  if (!axis)
    return emitOptionalError(location,
                             "axis " +
                                 Twine(static_cast<int64_t>(adaptor.getAxis())) +
                                           " is out of range for rank " +
                                           Twine(rank));
  SmallVector<int64_t> shape(first.getShape());
  for (auto [index, input] : llvm::enumerate(inputs.drop_front())) {
    auto type = cast<RankedTensorType>(input.getType());
    if (type.getRank() != rank)
      return emitOptionalError(location, "input #" + Twine(index + 1) +
                                             " has rank " +
                                             Twine(type.getRank()) +
                                             ", expected " + Twine(rank));
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = type.getDimSize(d);
      if (d == *axis) {
        shape[d] = ShapedType::isDynamic(shape[d]) ||
                           ShapedType::isDynamic(size)
                       ? ShapedType::kDynamic
                       : shape[d] + size;
        continue;
      }
      if (ShapedType::isDynamic(shape[d])) {
        shape[d] = size;
      } else if (!ShapedType::isDynamic(size) && size != shape[d]) {
        return emitOptionalError(
            location, "input #" + Twine(index + 1) + " has size " +
                          Twine(size) + " in dimension " + Twine(d) +
                          ", expected " + Twine(shape[d]));
      }
    }
  }
  results.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> location,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  ArrayRef<int64_t> start = adaptor.getStart(), size = adaptor.getSize(),
                    step = adaptor.getStep();
  int64_t rank = input.getRank();
  if (static_cast<int64_t>(start.size()) != rank ||
      static_cast<int64_t>(size.size()) != rank ||
      static_cast<int64_t>(step.size()) != rank)
    return emitOptionalError(location, "start, size and step need one entry "
                                       "per dimension (rank " +
                                           Twine(rank) + ")");
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = input.getDimSize(d);
    if (step[d] == 0)
      return emitOptionalError(location,
                               "step of dimension " + Twine(d) + " is 0");
    if (size[d] < 0)
      return emitOptionalError(location, "size of dimension " + Twine(d) +
                                             " is negative");
    if (size[d] == 0)
      continue;
    // The first and the last index read; both must be inside [0, dim).
    int64_t last = start[d] + (size[d] - 1) * step[d];
    if (start[d] < 0 || start[d] >= dim || last < 0 || last >= dim)
      return emitOptionalError(
          location, "dimension " + Twine(d) + " reads indices " +
                        Twine(start[d]) + " to " + Twine(last) +
                        ", outside [0, " + Twine(dim) + ")");
  }
  results.push_back(RankedTensorType::get(size, input.getElementType()));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto data = cast<RankedTensorType>(adaptor.getData().getType());
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  if (data.getRank() == 0)
    return emitOptionalError(location, "gather data must have rank >= 1");
  std::optional<int64_t> axis =
      normalizeAxis(adaptor.getAxis(), data.getRank());
  if (!axis)
    return emitOptionalError(location,
                             "axis " +
                                 Twine(static_cast<int64_t>(adaptor.getAxis())) +
                                           " is out of range for rank " +
                                           Twine(data.getRank()));
  SmallVector<int64_t> shape(data.getShape().take_front(*axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, data.getShape().drop_front(*axis + 1));
  results.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

LogicalResult GatherElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &results) {
  auto data = cast<RankedTensorType>(adaptor.getData().getType());
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  if (data.getRank() != indices.getRank())
    return emitOptionalError(location, "indices must have the rank of data (",
                             data.getRank(), "), got ", indices.getRank());
  if (!normalizeAxis(adaptor.getAxis(), data.getRank()))
    return emitOptionalError(location, "axis ", adaptor.getAxis(),
                             " is out of range for rank ", data.getRank());
  results.push_back(indices.clone(data.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

static LogicalResult inferReduceType(std::optional<Location> location,
                                     Value input, ArrayRef<int64_t> axes,
                                     bool keepdims,
                                     SmallVectorImpl<Type> &results) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  if (axes.empty())
    return emitOptionalError(location, "axes must not be empty");
  SmallVector<bool> reduced(rank, false);
  for (int64_t a : axes) {
    std::optional<int64_t> axis = normalizeAxis(a, rank);
    if (!axis)
      return emitOptionalError(location, "axis " + Twine(a) +
                                             " is out of range for rank " +
                                             Twine(rank));
    if (reduced[*axis])
      return emitOptionalError(location, "axis " + Twine(a) +
                                             " is reduced twice");
    reduced[*axis] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    if (!reduced[d])
      shape.push_back(type.getDimSize(d));
    else if (keepdims)
      shape.push_back(1);
  }
  results.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

#define WEFT_REDUCE_INFER(OP)                                                  \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> location, Adaptor adaptor,        \
      SmallVectorImpl<Type> &results) {                                        \
    return inferReduceType(location, adaptor.getInput(), adaptor.getAxes(),    \
                           adaptor.getKeepdims(), results);                    \
  }
WEFT_REDUCE_INFER(ReduceSumOp)
WEFT_REDUCE_INFER(ReduceMeanOp)
WEFT_REDUCE_INFER(ReduceMaxOp)
WEFT_REDUCE_INFER(ReduceMinOp)
WEFT_REDUCE_INFER(ReduceProdOp)

#define WEFT_ARG_REDUCE_INFER(OP)                                              \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *ctx, std::optional<Location> location, Adaptor adaptor,     \
      SmallVectorImpl<Type> &results) {                                        \
    int64_t axis = adaptor.getAxis();                                          \
    if (failed(inferReduceType(location, adaptor.getInput(), axis,             \
                               adaptor.getKeepdims(), results)))               \
      return failure();                                                        \
    results.back() = cast<RankedTensorType>(results.back())                    \
                         .clone(IntegerType::get(ctx, 64));                    \
    return success();                                                          \
  }
WEFT_ARG_REDUCE_INFER(ArgMaxOp)
WEFT_ARG_REDUCE_INFER(ArgMinOp)
#undef WEFT_ARG_REDUCE_INFER
#undef WEFT_REDUCE_INFER

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

/// The shape of `lhs [..., M, K] x rhs [..., K, N]`, batch dims broadcast.
static LogicalResult inferMatmulShape(std::optional<Location> location,
                                      RankedTensorType lhs,
                                      RankedTensorType rhs,
                                      SmallVectorImpl<int64_t> &shape) {
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return emitOptionalError(location, "matmul operands must have rank >= 2");
  int64_t lhsK = lhs.getShape().back();
  int64_t rhsK = rhs.getDimSize(rhs.getRank() - 2);
  if (!ShapedType::isDynamic(lhsK) && !ShapedType::isDynamic(rhsK) &&
      lhsK != rhsK)
    return emitOptionalError(location, "contraction dimensions differ: lhs has " +
                                        Twine(lhsK) + ", rhs has " +
                                        Twine(rhsK));
  if (!OpTrait::util::getBroadcastedShape(lhs.getShape().drop_back(2),
                                          rhs.getShape().drop_back(2), shape))
    return emitOptionalError(location, "batch dimensions do not broadcast");
  shape.push_back(lhs.getDimSize(lhs.getRank() - 2));
  shape.push_back(rhs.getShape().back());
  return success();
}

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto lhs = cast<RankedTensorType>(adaptor.getLhs().getType());
  auto rhs = cast<RankedTensorType>(adaptor.getRhs().getType());
  SmallVector<int64_t> shape;
  if (failed(inferMatmulShape(location, lhs, rhs, shape)))
    return failure();
  results.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// TransposeOp / ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  ArrayRef<int64_t> perm = adaptor.getPermutation();
  if (static_cast<int64_t>(perm.size()) != input.getRank())
    return emitOptionalError(location, "permutation has " + Twine(perm.size()) +
                                        " entries for rank " +
                                        Twine(input.getRank()));
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= input.getRank() || seen[p])
      return emitOptionalError(location, "permutation is not a permutation of [0, " +
                                          Twine(input.getRank()) + ")");
    seen[p] = true;
    shape.push_back(input.getDimSize(p));
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ReshapeOp::verify() {
  auto in = getInput().getType();
  auto out = getResult().getType();
  if (in.getElementType() != out.getElementType())
    return emitOpError("element type changes from ")
           << in.getElementType() << " to " << out.getElementType();
  if (in.getNumElements() != out.getNumElements())
    return emitOpError("element count changes from ")
           << in.getNumElements() << " to " << out.getNumElements();
  return success();
}

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  if (!normalizeAxis(getAxis(), getInput().getType().getRank()))
    return emitOpError("axis ") << static_cast<int64_t>(getAxis()) << " is out of range for rank "
                                << getInput().getType().getRank();
  return success();
}

LogicalResult LayerNormOp::verify() {
  auto input = getInput().getType();
  std::optional<int64_t> axis = normalizeAxis(getAxis(), input.getRank());
  if (!axis)
    return emitOpError("axis ") << static_cast<int64_t>(getAxis()) << " is out of range for rank "
                                << input.getRank();
  ArrayRef<int64_t> normalized = input.getShape().drop_front(*axis);
  auto checkAffine = [&](Value v, StringRef name) -> LogicalResult {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getShape() != normalized)
      return emitOpError() << name << " must have the normalized shape ["
                           << llvm::make_range(normalized.begin(),
                                               normalized.end())
                           << "], got " << type;
    if (type.getElementType() != input.getElementType())
      return emitOpError() << name << " element type must match the input";
    return success();
  };
  if (failed(checkAffine(getScale(), "scale")))
    return failure();
  if (getBias()) {
    if (getRms())
      return emitOpError("RMS normalization takes no bias");
    if (failed(checkAffine(getBias(), "bias")))
      return failure();
  }
  if (getEpsilon().isNegative())
    return emitOpError("epsilon must be non-negative");
  if (getResult().getType() != input)
    return emitOpError("result type must equal the input type");
  return success();
}

//===----------------------------------------------------------------------===//
// AttentionOp
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  auto q = cast<RankedTensorType>(adaptor.getQuery().getType());
  auto k = cast<RankedTensorType>(adaptor.getKey().getType());
  auto v = cast<RankedTensorType>(adaptor.getValue().getType());
  if (q.getRank() < 2 || q.getRank() != k.getRank() ||
      q.getRank() != v.getRank())
    return emitOptionalError(location,
                          "query, key and value must have the same rank >= 2");
  int64_t rank = q.getRank();
  if (q.getShape().drop_back(2) != k.getShape().drop_back(2) ||
      q.getShape().drop_back(2) != v.getShape().drop_back(2))
    return emitOptionalError(location, "leading dimensions of query, key and "
                                    "value must match");
  if (q.getDimSize(rank - 1) != k.getDimSize(rank - 1))
    return emitOptionalError(location, "query and key head dimensions differ");
  if (k.getDimSize(rank - 2) != v.getDimSize(rank - 2))
    return emitOptionalError(location, "key and value sequence lengths differ");
  if (q.getElementType() != k.getElementType() ||
      q.getElementType() != v.getElementType())
    return emitOptionalError(location, "query, key and value element types differ");
  if (Value mask = adaptor.getMask()) {
    auto maskType = cast<RankedTensorType>(mask.getType());
    SmallVector<int64_t> scores(q.getShape().drop_back());
    scores.push_back(k.getDimSize(rank - 2));
    SmallVector<int64_t> broadcast;
    if (!OpTrait::util::getBroadcastedShape(scores, maskType.getShape(),
                                            broadcast) ||
        ArrayRef<int64_t>(broadcast) != ArrayRef<int64_t>(scores))
      return emitOptionalError(location,
                            "mask does not broadcast to the score shape");
  }
  SmallVector<int64_t> shape(q.getShape());
  shape.back() = v.getShape().back();
  results.push_back(RankedTensorType::get(shape, q.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

LogicalResult DequantizeOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location>,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &results) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto scale = cast<RankedTensorType>(adaptor.getScale().getType());
  results.push_back(input.clone(dequantizedElementType(scale.getElementType())));
  return success();
}

LogicalResult DequantizeOp::verify() {
  auto zeroPoint = getZeroPoint()
                       ? cast<ShapedType>(getZeroPoint().getType())
                       : ShapedType();
  return verifyBlockwiseQuantization([&] { return emitOpError(); },
                                     getInput().getType(),
                                     getScale().getType(), zeroPoint,
                                     getAxis(), getBlockSize());
}

LogicalResult QMatmulOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> location,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  auto lhs = cast<RankedTensorType>(adaptor.getLhs().getType());
  // A weight packed by weft-pack-weights is typed by its storage bytes; the
  // matmul is over the logical [K, N] tensor its encoding describes.
  auto weight = getLogicalWeightType(
      cast<RankedTensorType>(adaptor.getWeight().getType()));
  auto scale = cast<RankedTensorType>(adaptor.getScale().getType());
  if (weight.getRank() != 2)
    return emitOptionalError(location, "qmatmul weight must be 2-D [K, N]");
  if (scale.getElementType() != lhs.getElementType())
    return emitOptionalError(location,
                          "scale element type must match the lhs element type");
  SmallVector<int64_t> shape;
  if (failed(inferMatmulShape(location, lhs, weight, shape)))
    return failure();
  results.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

LogicalResult QMatmulOp::verify() {
  auto zeroPoint = getZeroPoint()
                       ? cast<ShapedType>(getZeroPoint().getType())
                       : ShapedType();
  auto weight = cast<RankedTensorType>(getWeight().getType());
  if (weight.getEncoding() && !isa<PackedLayoutAttr>(weight.getEncoding()))
    return emitOpError("weight encoding must be #weft.packed, got ")
           << weight.getEncoding();
  return verifyBlockwiseQuantization([&] { return emitOpError(); },
                                     getLogicalWeightType(weight),
                                     getScale().getType(), zeroPoint,
                                     /*axis=*/0, getBlockSize());
}

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

void KernelOp::build(OpBuilder &builder, OperationState &state, StringRef name,
                     TypeRange resultTypes, ValueRange inputs) {
  state.addAttribute(getSymNameAttrName(state.name),
                     builder.getStringAttr(name));
  state.addOperands(inputs);
  state.addTypes(resultTypes);
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  for (Value input : inputs)
    block->addArgument(input.getType(), input.getLoc());
}

LogicalResult KernelOp::verify() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError("body has ")
           << body.getNumArguments() << " arguments for " << getInputs().size()
           << " inputs";
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip(body.getArgumentTypes(), getInputs())))
    if (std::get<0>(pair) != std::get<1>(pair).getType())
      return emitOpError("body argument #")
             << index << " has type " << std::get<0>(pair)
             << " but input has type " << std::get<1>(pair).getType();
  auto yield = cast<YieldOp>(body.getTerminator());
  if (yield.getValues().getTypes() != getResultTypes())
    return yield.emitOpError("yields (")
           << yield.getValues().getTypes() << ") but the kernel returns ("
           << getResultTypes() << ")";
  return success();
}

#define GET_OP_CLASSES
#include "weft/Dialect/Weft/IR/WeftOps.cpp.inc"
