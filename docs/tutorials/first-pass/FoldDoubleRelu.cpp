#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

namespace tutorial {
#define GEN_PASS_DEF_TUTORIALFOLDDOUBLERELU
#include "Passes.h.inc"
} // namespace tutorial

using namespace mlir;

namespace {
/// relu(relu(x)) -> relu(x): the outer relu's result is its operand.
struct FoldDoubleRelu : public OpRewritePattern<weft::ReluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(weft::ReluOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<weft::ReluOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "operand is not a relu");
    rewriter.replaceOp(op, inner.getResult());
    return success();
  }
};

struct FoldDoubleReluPass
    : public tutorial::impl::TutorialFoldDoubleReluBase<FoldDoubleReluPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldDoubleRelu>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

namespace tutorial {
void registerPasses() {
  PassRegistration<FoldDoubleReluPass>();
}
} // namespace tutorial
