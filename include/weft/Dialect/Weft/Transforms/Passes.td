//===- Passes.td - weft graph passes -----------------------*- tablegen -*-===//
#ifndef WEFT_DIALECT_WEFT_TRANSFORMS_PASSES_TD
#define WEFT_DIALECT_WEFT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def WeftWrapKernels : Pass<"weft-wrap-kernels", "::mlir::func::FuncOp"> {
  let summary = "Puts every graph op not yet in a fusion group into its own kernel";
  let description = [{
    After graph fusion has formed its `weft.kernel` groups, every graph op
    left outside a group still has to become a kernel of its own. This pass
    wraps each such op into a single-op `weft.kernel` named
    `<function>_<op>_<n>`, so that everything downstream (tiling, scheduling,
    code generation) sees only kernels. Ops already inside a kernel are left
    alone, which makes the pass idempotent.

    ```mlir
    %0 = weft.relu %x : tensor<4xf32>
    // becomes
    %0 = weft.kernel @main_relu_0(%x) : (tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%a: tensor<4xf32>):
      %1 = weft.relu %a : tensor<4xf32>
      weft.yield %1 : tensor<4xf32>
    }
    ```
  }];
  let dependentDialects = ["::mlir::weft::WeftDialect"];
}

#endif // WEFT_DIALECT_WEFT_TRANSFORMS_PASSES_TD
