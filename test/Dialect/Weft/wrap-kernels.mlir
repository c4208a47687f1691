// RUN: weft-opt %s -weft-wrap-kernels -split-input-file | FileCheck %s
// The pass is idempotent: a second run changes nothing.
// RUN: weft-opt %s -weft-wrap-kernels -split-input-file | weft-opt -weft-wrap-kernels -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8xf32>)
func.func @main(%a: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  // CHECK: %[[K0:.*]] = weft.kernel @main_add_0(%[[A]], %[[B]]) : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32> {
  // CHECK-NEXT: ^bb0(%[[X:.*]]: tensor<4x8xf32>, %[[Y:.*]]: tensor<8xf32>):
  // CHECK-NEXT: %[[S:.*]] = weft.add %[[X]], %[[Y]]
  // CHECK-NEXT: weft.yield %[[S]] : tensor<4x8xf32>
  %0 = weft.add %a, %b : tensor<4x8xf32>, tensor<8xf32>
  // CHECK: %[[K1:.*]] = weft.kernel @main_relu_1(%[[K0]])
  // CHECK: weft.relu
  %1 = weft.relu %0 : tensor<4x8xf32>
  // CHECK: return %[[K1]]
  return %1 : tensor<4x8xf32>
}

// -----

// Ops already in a fusion group stay where they are; non-weft ops are not
// kernels of their own.
// CHECK-LABEL: func.func @fused
func.func @fused(%a: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: arith.constant
  // CHECK-NOT: weft.kernel @fused_relu
  // CHECK: weft.kernel @already(
  // CHECK-NEXT: ^bb0
  // CHECK-NEXT: weft.relu
  // CHECK-NEXT: weft.exp
  // CHECK-NEXT: weft.yield
  %c = arith.constant dense<1.0> : tensor<4xf32>
  %0 = weft.kernel @already(%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>):
    %1 = weft.relu %x : tensor<4xf32>
    %2 = weft.exp %1 : tensor<4xf32>
    weft.yield %2 : tensor<4xf32>
  }
  // CHECK: weft.kernel @fused_mul_0
  %3 = weft.mul %0, %c : tensor<4xf32>, tensor<4xf32>
  return %3 : tensor<4xf32>
}
