include "mlir/Pass/PassBase.td"

def TutorialFoldDoubleRelu : Pass<"tutorial-fold-double-relu", "::mlir::func::FuncOp"> {
  let summary = "Folds relu(relu(x)) into relu(x)";
  let description = [{
    relu is idempotent, so a relu whose operand is already a relu is replaced
    by that operand.
  }];
}
