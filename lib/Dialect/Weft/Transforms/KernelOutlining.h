//===- KernelOutlining.h - moving op groups into weft.kernel ----*- C++ -*-===//
//
// Shared by the passes that form `weft.kernel` fusion groups: kernel names
// that are unique within a function, and outlining a group of ops of one
// block into an isolated-from-above kernel.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_LIB_DIALECT_WEFT_TRANSFORMS_KERNELOUTLINING_H
#define WEFT_LIB_DIALECT_WEFT_TRANSFORMS_KERNELOUTLINING_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::weft {

/// Applies a fusion pass's rewrite patterns to `root` and nothing else: no
/// folding, constant hoisting or region simplification of the rest of the
/// function, so a fusion pass changes only what it fuses.
LogicalResult applyFusionPatterns(Operation *root,
                                  RewritePatternSet &&patterns);

/// Hands out kernel names `<function>_<what>_<n>` with one counter per
/// function, skipping names that kernels already in the function carry, so
/// passes that run one after the other (fuse-kernels, then wrap-kernels)
/// never give two kernels one name.
class KernelNamer {
public:
  explicit KernelNamer(func::FuncOp func);
  std::string next(StringRef what);

private:
  std::string prefix;
  unsigned counter = 0;
  llvm::StringSet<> taken;
};

/// Moves `ops` (all in one block, sorted in program order) into a new
/// `weft.kernel` named `name`, created right before the last of them.
/// Operands defined outside the group become the kernel's inputs, in order
/// of first use, except splat constants, which are cloned into the body.
/// Results used outside the group become the kernel's results, in program
/// order. Returns null (and changes nothing) when a result is used before
/// the last op, where the kernel could not dominate that use.
KernelOp outlineKernel(RewriterBase &rewriter, ArrayRef<Operation *> ops,
                       StringRef name);

} // namespace mlir::weft

#endif // WEFT_LIB_DIALECT_WEFT_TRANSFORMS_KERNELOUTLINING_H
