// Invalid input gets a located diagnostic and a non-zero exit, never a crash.
// RUN: not weft-opt %s 2>&1 | FileCheck %s
// CHECK: weft-opt-errors.mlir:[[@LINE+2]]:8: error: contraction dimensions differ: lhs has 5, rhs has 6
func.func @bad(%a: tensor<4x5xf32>, %b: tensor<6x8xf32>) {
  %0 = weft.matmul %a, %b : tensor<4x5xf32>, tensor<6x8xf32>
  return
}
