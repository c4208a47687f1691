// RUN: tutorial-opt %s -tutorial-fold-double-relu | FileCheck %s

// CHECK-LABEL: func.func @twice
func.func @twice(%x: tensor<8xf32>) -> tensor<8xf32> {
  // CHECK: %[[R:.*]] = weft.relu %{{.*}} : tensor<8xf32>
  // CHECK-NOT: weft.relu
  // CHECK: return %[[R]]
  %0 = weft.relu %x : tensor<8xf32>
  %1 = weft.relu %0 : tensor<8xf32>
  return %1 : tensor<8xf32>
}
