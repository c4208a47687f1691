//===- WrapKernels.cpp - one kernel per unfused graph op -------------------===//
#include "KernelOutlining.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTWRAPKERNELS
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
struct WrapKernelsPass
    : public weft::impl::WeftWrapKernelsBase<WrapKernelsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<Operation *> unfused;
    func.walk([&](Operation *op) {
      if (isa<KernelOp, YieldOp>(op) || !isa<WeftDialect>(op->getDialect()))
        return;
      if (op->getParentOfType<KernelOp>())
        return;
      unfused.push_back(op);
    });

    // Names skip those that graph fusion already gave its kernels.
    KernelNamer namer(func);
    for (Operation *op : unfused) {
      OpBuilder builder(op);
      std::string name = namer.next(op->getName().stripDialect());
      auto kernel = KernelOp::create(builder, op->getLoc(), name,
                                     op->getResultTypes(), op->getOperands());
      Block &body = kernel.getBody().front();
      IRMapping mapping;
      mapping.map(op->getOperands(), body.getArguments());
      OpBuilder inner = OpBuilder::atBlockEnd(&body);
      Operation *clone = inner.clone(*op, mapping);
      YieldOp::create(inner, op->getLoc(), clone->getResults());
      op->replaceAllUsesWith(kernel.getResults());
      op->erase();
    }
  }
};
} // namespace
