// Row-wise softmax over the last axis of a [2, 37, 45] tensor: 16 whole rows
// per program (masked tail), the batch on grid y. Checked against numpy.
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16" | FileCheck %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16" -o %t/tiled.mlir
// RUN: weft-run --interpret %t/tiled.mlir --entry=sm --grid=3,2 --seed=6 \
// RUN:   --save-inputs=%t/in --save-outputs=%t/out | FileCheck %s --check-prefix=EXEC
// RUN: %python %S/Inputs/reference.py softmax %t/in %t/out --atol 1e-6 --rtol 1e-5 \
// RUN:   | FileCheck %s --check-prefix=NUMPY

// EXEC: weft-run: @sm grid 3x2x1: ok
// NUMPY: numpy check: PASS

// CHECK-LABEL: func.func @sm(
// CHECK-SAME: weft.grid = array<i64: 3, 2, 1>
// CHECK: tile.load %arg0[{{.*}}] masked : memref<2x37x45xf32> -> tensor<1x16x45xf32>
// CHECK: %[[M:.*]] = tile.reduce max %{{.*}} axis = 1 : tensor<16x45xf32>
// CHECK: tile.broadcast %[[M]] [1]
// CHECK: math.exp
// CHECK: %[[S:.*]] = tile.reduce sum %{{.*}} axis = 1 : tensor<16x45xf32>
// CHECK: tile.broadcast %[[S]] [1]
// CHECK: arith.divf
// CHECK: tile.store {{.*}} masked : tensor<1x16x45xf32>, memref<2x37x45xf32>

func.func @main(%x: tensor<2x37x45xf32>) -> tensor<2x37x45xf32> {
  %0 = weft.kernel @sm(%x) : (tensor<2x37x45xf32>) -> tensor<2x37x45xf32> {
  ^bb0(%a: tensor<2x37x45xf32>):
    %1 = weft.softmax %a axis = -1 : tensor<2x37x45xf32>
    weft.yield %1 : tensor<2x37x45xf32>
  }
  return %0 : tensor<2x37x45xf32>
}
