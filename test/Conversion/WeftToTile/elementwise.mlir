// A standalone elementwise kernel with two results: a [3, 37, 45] input, a
// row vector [45] and a column [37, 1] broadcast against it, splat constants;
// the batch maps to grid y, tiles are 16x16 with masked tails. Checked
// against numpy.
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16 tile-n=16" | FileCheck %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16 tile-n=16" -o %t/tiled.mlir
// RUN: weft-run --interpret %t/tiled.mlir --entry=ew --grid=9,3 --seed=11 \
// RUN:   --save-inputs=%t/in --save-outputs=%t/out | FileCheck %s --check-prefix=EXEC
// RUN: %python %S/Inputs/reference.py elementwise %t/in %t/out --atol 1e-5 --rtol 1e-5 \
// RUN:   | FileCheck %s --check-prefix=NUMPY

// EXEC: weft-run: @ew grid 9x3x1: ok
// NUMPY: arg3: max abs err
// NUMPY: arg4: max abs err
// NUMPY: numpy check: PASS

// CHECK-LABEL: func.func @ew(
// CHECK-SAME: memref<3x37x45xf32>, %{{.*}}: memref<45xf32>, %{{.*}}: memref<37x1xf32>, %[[O1:.*]]: memref<3x37x45xf32>, %[[O2:.*]]: memref<3x37x45xf32>)
// CHECK-SAME: weft.grid = array<i64: 9, 3, 1>
// CHECK-NOT: scf.for
// CHECK: tile.program_id y
// CHECK: tile.load %arg0[{{.*}}] masked : memref<3x37x45xf32> -> tensor<1x16x16xf32>
// CHECK: tile.load %arg1[{{.*}}] masked : memref<45xf32> -> tensor<16xf32>
// CHECK: math.tanh
// CHECK: %[[Z:.*]] = tile.load %arg2[%{{.*}}, %c0{{.*}}] masked : memref<37x1xf32> -> tensor<16x1xf32>
// CHECK: %[[ZC:.*]] = tensor.collapse_shape %[[Z]] {{\[}}[0, 1]] : tensor<16x1xf32> into tensor<16xf32>
// CHECK: math.exp
// CHECK: tile.broadcast %{{.*}} [1] : tensor<16xf32> -> tensor<16x16xf32>
// CHECK: tile.store %{{.*}}, %[[O1]][{{.*}}] masked : tensor<1x16x16xf32>, memref<3x37x45xf32>
// CHECK: math.erf
// CHECK: math.sqrt
// CHECK: tile.store %{{.*}}, %[[O2]][{{.*}}] masked : tensor<1x16x16xf32>, memref<3x37x45xf32>

func.func @main(%x: tensor<3x37x45xf32>, %y: tensor<45xf32>, %z: tensor<37x1xf32>)
    -> (tensor<3x37x45xf32>, tensor<3x37x45xf32>) {
  %0:2 = weft.kernel @ew(%x, %y, %z)
      : (tensor<3x37x45xf32>, tensor<45xf32>, tensor<37x1xf32>) -> (tensor<3x37x45xf32>, tensor<3x37x45xf32>) {
  ^bb0(%a: tensor<3x37x45xf32>, %b: tensor<45xf32>, %c: tensor<37x1xf32>):
    %two = arith.constant dense<2.0> : tensor<3x37x45xf32>
    %c15 = arith.constant dense<1.5> : tensor<3x37x45xf32>
    %1 = weft.mul %a, %b : tensor<3x37x45xf32>, tensor<45xf32>
    %2 = weft.tanh %1 : tensor<3x37x45xf32>
    %3 = weft.sigmoid %c : tensor<37x1xf32>
    %4 = weft.add %2, %3 : tensor<3x37x45xf32>, tensor<37x1xf32>
    %5 = weft.neg %a : tensor<3x37x45xf32>
    %6 = weft.exp %a : tensor<3x37x45xf32>
    %7 = weft.div %6, %two : tensor<3x37x45xf32>, tensor<3x37x45xf32>
    %8 = weft.max %5, %7 : tensor<3x37x45xf32>, tensor<3x37x45xf32>
    %9 = weft.sub %4, %8 : tensor<3x37x45xf32>, tensor<3x37x45xf32>
    %10 = weft.erf %a : tensor<3x37x45xf32>
    %11 = weft.sqrt %c15 : tensor<3x37x45xf32>
    %12 = weft.add %10, %11 : tensor<3x37x45xf32>, tensor<3x37x45xf32>
    weft.yield %9, %12 : tensor<3x37x45xf32>, tensor<3x37x45xf32>
  }
  return %0#0, %0#1 : tensor<3x37x45xf32>, tensor<3x37x45xf32>
}
