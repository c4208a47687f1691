// weft.qmatmul with int4 weights, blockwise scales and zero points (block 32
// along K = 80: the last block is partial) and a ReLU epilogue: the K step is
// rounded up to a whole block (tile-k=8 -> 32) and tile.dequant runs in the K
// loop on the weight tile with its 1-row scale / zero-point tiles. Checked
// against numpy.
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16 tile-n=16 tile-k=8" | FileCheck %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16 tile-n=16 tile-k=8" -o %t/tiled.mlir
// RUN: weft-run --interpret %t/tiled.mlir --entry=qmm --grid=9 --seed=8 \
// RUN:   --save-inputs=%t/in --save-outputs=%t/out | FileCheck %s --check-prefix=EXEC
// RUN: %python %S/Inputs/reference.py qmatmul %t/in %t/out --atol 1e-4 --rtol 1e-5 \
// RUN:   | FileCheck %s --check-prefix=NUMPY
// A K step of two blocks reads two scale rows per step.
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16 tile-n=16 tile-k=64" | FileCheck %s --check-prefix=K64

// EXEC: weft-run: @qmm grid 9x1x1: ok
// NUMPY: numpy check: PASS

// CHECK-LABEL: func.func @qmm(
// CHECK-SAME: %[[X:.*]]: memref<37x80xf32>, %[[W:.*]]: memref<80x45xui4>, %[[S:.*]]: memref<3x45xf32>, %[[Z:.*]]: memref<3x45xui4>
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %c80 step %c32
// CHECK: tile.load %[[X]][%{{.*}}, %[[K]]] masked : memref<37x80xf32> -> tensor<16x32xf32>
// CHECK: %[[WT:.*]] = tile.load %[[W]][%[[K]], %{{.*}}] masked : memref<80x45xui4> -> tensor<32x16xui4>
// CHECK: %[[ROW:.*]] = arith.divui %[[K]], %c32
// CHECK: %[[ST:.*]] = tile.load %[[S]][%[[ROW]], %{{.*}}] masked : memref<3x45xf32> -> tensor<1x16xf32>
// CHECK: %[[ZT:.*]] = tile.load %[[Z]][%[[ROW]], %{{.*}}] masked : memref<3x45xui4> -> tensor<1x16xui4>
// CHECK: %[[DQ:.*]] = tile.dequant %[[WT]], %[[ST]], %[[ZT]] axis = 0 block_size = 32 : tensor<32x16xui4>, tensor<1x16xf32>, tensor<1x16xui4> -> tensor<32x16xf32>
// CHECK: tile.dot %{{.*}}, %[[DQ]], %{{.*}} : tensor<16x32xf32>, tensor<32x16xf32> -> tensor<16x16xf32>
// CHECK: arith.maximumf
// CHECK: tile.store

// K64: scf.for %{{.*}} = %{{.*}} to %c80 step %c64
// K64: tile.dequant {{.*}} block_size = 32 : tensor<64x16xui4>, tensor<2x16xf32>, tensor<2x16xui4> -> tensor<64x16xf32>

func.func @main(%x: tensor<37x80xf32>, %w: tensor<80x45xui4>, %s: tensor<3x45xf32>,
                %z: tensor<3x45xui4>) -> tensor<37x45xf32> {
  %0 = weft.kernel @qmm(%x, %w, %s, %z)
      : (tensor<37x80xf32>, tensor<80x45xui4>, tensor<3x45xf32>, tensor<3x45xui4>) -> tensor<37x45xf32> {
  ^bb0(%a: tensor<37x80xf32>, %b: tensor<80x45xui4>, %c: tensor<3x45xf32>, %d: tensor<3x45xui4>):
    %1 = weft.qmatmul %a, %b, %c, %d block_size = 32
           : tensor<37x80xf32>, tensor<80x45xui4>, tensor<3x45xf32>, tensor<3x45xui4>
    %2 = weft.relu %1 : tensor<37x45xf32>
    weft.yield %2 : tensor<37x45xf32>
  }
  return %0 : tensor<37x45xf32>
}
