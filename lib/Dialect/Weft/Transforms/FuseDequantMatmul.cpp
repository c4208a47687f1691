//===- FuseDequantMatmul.cpp - dequantize + matmul into weft.qmatmul
//-------===//
//
// A weight-only quantized linear layer arrives as `dequantize` feeding a
// `matmul`. As two kernels, the float weight would be written to memory and
// read back, several times the bytes of the packed integer weight; as one
// `weft.qmatmul`, tiles of the integer weight are dequantized in registers.
//
//===----------------------------------------------------------------------===//
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "weft/Dialect/Utils/ShapeUtils.h"
#include "KernelOutlining.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTFUSEDEQUANTMATMUL
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
/// matmul(x, dequantize(w, s, z; axis 0)) -> qmatmul(x, w, s, z).
struct FoldDequantizeIntoMatmul : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MatmulOp matmul,
                                PatternRewriter &rewriter) const override {
    auto dequant = matmul.getRhs().getDefiningOp<DequantizeOp>();
    if (!dequant)
      return rewriter.notifyMatchFailure(matmul, "rhs is not a dequantize");
    // Another user needs the float weight in memory anyway; fusing would
    // then only add a second dequantization.
    if (!dequant->hasOneUse())
      return rewriter.notifyMatchFailure(matmul,
                                         "dequantized weight has other users");
    // qmatmul's weight is [K, N], quantized in blocks along K.
    RankedTensorType weight = dequant.getInput().getType();
    if (weight.getRank() != 2)
      return rewriter.notifyMatchFailure(matmul, "weight is not 2-D");
    if (normalizeAxis(dequant.getAxis(), weight.getRank()) != 0)
      return rewriter.notifyMatchFailure(matmul, "not quantized along K");

    auto qmatmul = QMatmulOp::create(
        rewriter, rewriter.getFusedLoc({dequant.getLoc(), matmul.getLoc()}),
        matmul.getType(), matmul.getLhs(), dequant.getInput(),
        dequant.getScale(), dequant.getZeroPoint(), dequant.getBlockSize());
    rewriter.replaceOp(matmul, qmatmul.getResult());
    rewriter.eraseOp(dequant);
    return success();
  }
};

struct FuseDequantMatmulPass
    : public weft::impl::WeftFuseDequantMatmulBase<FuseDequantMatmulPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldDequantizeIntoMatmul>(&getContext());
    if (failed(applyFusionPatterns(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
