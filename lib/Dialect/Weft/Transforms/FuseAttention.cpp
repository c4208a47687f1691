//===- FuseAttention.cpp - QK^T / softmax / PV into weft.attention
//---------===//
//
// Exported models spell attention as five or six graph ops. Run one by one,
// they write the [S, T] score matrix to memory several times; as one
// `weft.attention` they become a FlashAttention kernel that keeps scores in
// registers. This pass finds the pattern, starting from the final MatMul.
//
//===----------------------------------------------------------------------===//
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "weft/Dialect/Utils/ShapeUtils.h"
#include "KernelOutlining.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTFUSEATTENTION
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {

/// The value of a splat floating-point constant, if `value` is one.
std::optional<double> getSplatFloat(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat() ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  return attr.getSplatValue<APFloat>().convertToDouble();
}

/// `value` times a splat constant, as `scaled = Mul(value, c)`,
/// `Mul(c, value)` or `Div(value, c)`, where the constant does not broadcast
/// `value` to a larger shape. Returns the unscaled value and multiplies the
/// factor into `scale`.
std::optional<Value> matchScaling(Operation *op, Value scaled, double &scale) {
  if (!op || op->getNumResults() != 1)
    return std::nullopt;
  auto sameShape = [&](Value unscaled) {
    return unscaled.getType() == scaled.getType();
  };
  if (auto mul = dyn_cast<MulOp>(op)) {
    for (auto [operand, other] : {std::pair(mul.getLhs(), mul.getRhs()),
                                  std::pair(mul.getRhs(), mul.getLhs())})
      if (std::optional<double> c = getSplatFloat(other);
          c && sameShape(operand)) {
        scale *= *c;
        return operand;
      }
  }
  if (auto div = dyn_cast<DivOp>(op)) {
    std::optional<double> c = getSplatFloat(div.getRhs());
    if (c && *c != 0.0 && std::isfinite(*c) && sameShape(div.getLhs())) {
      scale /= *c;
      return div.getLhs();
    }
  }
  return std::nullopt;
}

/// Whether `value` is the most negative value of its float type: -inf, or
/// the lowest finite value some exporters use instead. Either makes the
/// softmax weight exactly 0.
bool isMaskedOut(const APFloat &value) {
  if (value.isInfinity())
    return value.isNegative();
  return value.bitwiseIsEqual(
      APFloat::getLargest(value.getSemantics(), /*Negative=*/true));
}

/// Whether `mask` is a constant that adds exactly what `causal` means for
/// scores [..., S, T]: 0 where t <= s + (T - S), masked out elsewhere, the
/// same for every leading index.
bool isCausalMask(Value mask, int64_t queryLen, int64_t keyLen) {
  DenseElementsAttr attr;
  if (!matchPattern(mask, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()))
    return false;
  auto type = cast<ShapedType>(attr.getType());
  if (type.getRank() < 2 || type.getDimSize(type.getRank() - 2) != queryLen ||
      type.getDimSize(type.getRank() - 1) != keyLen)
    return false;
  int64_t index = 0;
  for (const APFloat &value : attr.getValues<APFloat>()) {
    int64_t t = index % keyLen;
    int64_t s = (index / keyLen) % queryLen;
    ++index;
    bool attends = t <= s + (keyLen - queryLen);
    if (attends ? !value.isZero() : !isMaskedOut(value))
      return false;
  }
  return true;
}

/// The permutation `p` composed with a swap of the last two dimensions:
/// transpose(x, p) is K^T exactly when transpose(x, result) is K.
SmallVector<int64_t> swapLastTwo(ArrayRef<int64_t> permutation) {
  SmallVector<int64_t> swapped(permutation);
  std::swap(swapped[swapped.size() - 1], swapped[swapped.size() - 2]);
  return swapped;
}

bool isIdentity(ArrayRef<int64_t> permutation) {
  for (auto [index, dim] : llvm::enumerate(permutation))
    if (static_cast<int64_t>(index) != dim)
      return false;
  return true;
}

/// softmax(scale * Q K^T + mask) V  ->  weft.attention, matched from the PV
/// matmul upward.
struct FuseScaledDotProductAttention : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MatmulOp pv,
                                PatternRewriter &rewriter) const override {
    // Every intermediate must die with the fusion: a second user would need
    // the [S, T] tensor in memory, which is what fusing avoids.
    auto softmax = pv.getLhs().getDefiningOp<SoftmaxOp>();
    if (!softmax || !softmax->hasOneUse())
      return rewriter.notifyMatchFailure(pv, "lhs is not a single-use softmax");
    int64_t rank = softmax.getType().getRank();
    if (normalizeAxis(softmax.getAxis(), rank) != rank - 1)
      return rewriter.notifyMatchFailure(pv,
                                         "softmax is not over the last axis");

    SmallVector<Operation *> chain = {softmax};
    double scale = 1.0;
    Value scores = softmax.getInput();
    Value mask;
    // An additive mask, either operand order; it must not broadcast the
    // scores to a larger shape.
    if (auto add = scores.getDefiningOp<AddOp>(); add && add->hasOneUse()) {
      auto isScores = [&](Value v) {
        if (v.getType() != add.getType())
          return false;
        Operation *def = v.getDefiningOp();
        if (isa_and_nonnull<MatmulOp>(def))
          return true;
        double unused = 1.0;
        return def && matchScaling(def, v, unused).has_value();
      };
      if (isScores(add.getLhs())) {
        scores = add.getLhs();
        mask = add.getRhs();
      } else if (isScores(add.getRhs())) {
        scores = add.getRhs();
        mask = add.getLhs();
      }
      if (mask)
        chain.push_back(add);
    }
    if (Operation *def = scores.getDefiningOp(); def && def->hasOneUse()) {
      if (std::optional<Value> unscaled = matchScaling(def, scores, scale)) {
        chain.push_back(def);
        scores = *unscaled;
      }
    }
    auto qk = scores.getDefiningOp<MatmulOp>();
    if (!qk || !qk->hasOneUse())
      return rewriter.notifyMatchFailure(pv,
                                         "scores are not a single-use matmul");
    chain.push_back(qk);

    // A scale may also sit on Q or on K^T before the product.
    Value query = qk.getLhs();
    if (std::optional<Value> unscaled =
            matchScaling(query.getDefiningOp(), query, scale))
      query = *unscaled;
    Value keyT = qk.getRhs();
    if (std::optional<Value> unscaled =
            matchScaling(keyT.getDefiningOp(), keyT, scale))
      keyT = *unscaled;
    auto transpose = keyT.getDefiningOp<TransposeOp>();
    if (!transpose)
      return rewriter.notifyMatchFailure(pv, "rhs of QK^T is not a transpose");

    // weft.attention wants Q, K, V with identical leading (batch, head)
    // dimensions; a matmul that broadcasts them is a different computation
    // per batch shape.
    auto queryType = cast<RankedTensorType>(query.getType());
    auto valueType = cast<RankedTensorType>(pv.getRhs().getType());
    auto keyTType = cast<RankedTensorType>(keyT.getType());
    if (queryType.getRank() != rank || keyTType.getRank() != rank ||
        valueType.getRank() != rank)
      return rewriter.notifyMatchFailure(pv, "Q, K and V ranks differ");
    SmallVector<int64_t> keyPermutation =
        swapLastTwo(transpose.getPermutation());
    SmallVector<int64_t> keyShape(keyTType.getShape());
    std::swap(keyShape[rank - 1], keyShape[rank - 2]);
    if (queryType.getShape().drop_back(2) !=
            valueType.getShape().drop_back(2) ||
        ArrayRef(keyShape).drop_back(2) != valueType.getShape().drop_back(2))
      return rewriter.notifyMatchFailure(
          pv, "Q, K and V leading dimensions differ or broadcast");

    bool causal = false;
    if (mask) {
      int64_t queryLen = queryType.getDimSize(rank - 2);
      int64_t keyLen = keyShape[rank - 2];
      std::optional<double> splat = getSplatFloat(mask);
      if (splat && *splat == 0.0) {
        mask = nullptr; // adds nothing
      } else if (isCausalMask(mask, queryLen, keyLen)) {
        causal = true;
        mask = nullptr;
      }
    }

    // K^T = transpose(x, p) makes K = transpose(x, p with the last two
    // entries swapped): for the exporter's head split that is the same
    // [B, H, S, D] transpose that Q and V go through.
    Value key = transpose.getInput();
    if (!isIdentity(keyPermutation)) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(transpose);
      key = TransposeOp::create(rewriter, transpose.getLoc(), key,
                                keyPermutation);
    }

    SmallVector<Location> locs = {qk.getLoc(), softmax.getLoc(), pv.getLoc()};
    auto attention = AttentionOp::create(
        rewriter, rewriter.getFusedLoc(locs), pv.getType(), query, key,
        pv.getRhs(), mask, rewriter.getF32FloatAttr(static_cast<float>(scale)),
        causal ? rewriter.getUnitAttr() : nullptr);
    rewriter.replaceOp(pv, attention.getResult());
    // The chain is dead now, each op used only by the next one; what the
    // matched Q, K^T and mask producers still feed is left alone.
    for (Operation *op : chain)
      rewriter.eraseOp(op);
    return success();
  }
};

struct FuseAttentionPass
    : public weft::impl::WeftFuseAttentionBase<FuseAttentionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseScaledDotProductAttention>(&getContext());
    if (failed(applyFusionPatterns(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
