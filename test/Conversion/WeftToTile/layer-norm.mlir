// layer_norm and its RMS form over the last axis: 16 whole rows per program
// (37 rows: a masked tail), row statistics with tile.reduce. Checked against
// numpy.
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16" | FileCheck %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16" -o %t/tiled.mlir
// RUN: weft-run --interpret %t/tiled.mlir --entry=ln --grid=3 --seed=4 \
// RUN:   --save-inputs=%t/in --save-outputs=%t/out | FileCheck %s --check-prefix=EXEC
// RUN: %python %S/Inputs/reference.py layer-norm %t/in %t/out --atol 1e-5 --rtol 1e-5 \
// RUN:   | FileCheck %s --check-prefix=NUMPY
// RUN: weft-run --interpret %t/tiled.mlir --entry=rms --grid=3 --seed=5 \
// RUN:   --save-inputs=%t/rin --save-outputs=%t/rout | FileCheck %s --check-prefix=EXEC
// RUN: %python %S/Inputs/reference.py rms-norm %t/rin %t/rout --atol 1e-5 --rtol 1e-5 \
// RUN:   | FileCheck %s --check-prefix=NUMPY

// EXEC: weft-run: {{.*}} grid 3x1x1: ok
// NUMPY: numpy check: PASS

// CHECK-LABEL: func.func @ln(
// CHECK-SAME: weft.grid = array<i64: 3, 1, 1>
// CHECK-NOT: scf.for
// CHECK: tile.load %arg0[%{{.*}}, %{{.*}}] masked : memref<37x45xf32> -> tensor<16x45xf32>
// CHECK: tile.reduce sum %{{.*}} axis = 1 : tensor<16x45xf32>
// CHECK: arith.subf
// CHECK: tile.reduce sum %{{.*}} axis = 1 : tensor<16x45xf32>
// CHECK: math.rsqrt
// CHECK: tile.load %arg1[%{{.*}}] : memref<45xf32> -> tensor<45xf32>
// CHECK: tile.load %arg2[%{{.*}}] : memref<45xf32> -> tensor<45xf32>
// CHECK: tile.store %{{.*}}, %arg3[%{{.*}}, %{{.*}}] masked : tensor<16x45xf32>, memref<37x45xf32>

// CHECK-LABEL: func.func @rms(
// CHECK-NOT: arith.subf
// CHECK: tile.reduce sum
// CHECK: math.rsqrt
// CHECK: tile.store

func.func @main(%x: tensor<37x45xf32>, %g: tensor<45xf32>, %b: tensor<45xf32>)
    -> (tensor<37x45xf32>, tensor<37x45xf32>) {
  %0 = weft.kernel @ln(%x, %g, %b)
      : (tensor<37x45xf32>, tensor<45xf32>, tensor<45xf32>) -> tensor<37x45xf32> {
  ^bb0(%a: tensor<37x45xf32>, %s: tensor<45xf32>, %c: tensor<45xf32>):
    %1 = weft.layer_norm %a, %s, %c axis = -1 epsilon = 1.0e-05
           : tensor<37x45xf32>, tensor<45xf32>, tensor<45xf32> -> tensor<37x45xf32>
    weft.yield %1 : tensor<37x45xf32>
  }
  %2 = weft.kernel @rms(%x, %g)
      : (tensor<37x45xf32>, tensor<45xf32>) -> tensor<37x45xf32> {
  ^bb0(%a: tensor<37x45xf32>, %s: tensor<45xf32>):
    %3 = weft.layer_norm %a, %s axis = 1 epsilon = 1.0e-06 rms
           : tensor<37x45xf32>, tensor<45xf32> -> tensor<37x45xf32>
    weft.yield %3 : tensor<37x45xf32>
  }
  return %0, %2 : tensor<37x45xf32>, tensor<37x45xf32>
}
