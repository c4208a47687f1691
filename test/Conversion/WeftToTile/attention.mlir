// weft.attention becomes a FlashAttention tile program: 16 query rows per
// program, an online-softmax loop over 16-row key / value tiles (45 keys: a
// masked tail), the scale on the scores, causal masking by index comparison
// (S = 37 < T = 45, so row s sees keys t <= s + 8), heads on grid y. Both
// kernels are checked against numpy.
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16 tile-n=16" | FileCheck %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16 tile-n=16" -o %t/tiled.mlir
// RUN: weft-run --interpret %t/tiled.mlir --entry=attn --grid=3,2 --seed=1 \
// RUN:   --save-inputs=%t/in --save-outputs=%t/out | FileCheck %s --check-prefix=EXEC
// RUN: %python %S/Inputs/reference.py attention %t/in %t/out --atol 1e-5 --rtol 1e-4 \
// RUN:   | FileCheck %s --check-prefix=NUMPY
// RUN: weft-run --interpret %t/tiled.mlir --entry=attn_causal --grid=3,2 --seed=2 \
// RUN:   --save-inputs=%t/cin --save-outputs=%t/cout | FileCheck %s --check-prefix=EXEC
// RUN: %python %S/Inputs/reference.py attention-causal %t/cin %t/cout --atol 1e-5 --rtol 1e-4 \
// RUN:   | FileCheck %s --check-prefix=NUMPY

// EXEC: weft-run: {{.*}} grid 3x2x1: ok
// NUMPY: numpy check: PASS

// CHECK-LABEL: func.func @attn(
// CHECK-SAME: %[[Q:.*]]: memref<2x37x16xf32>, %[[K:.*]]: memref<2x45x16xf32>, %[[V:.*]]: memref<2x45x24xf32>, %[[O:.*]]: memref<2x37x24xf32>)
// CHECK-SAME: weft.grid = array<i64: 3, 2, 1>
// CHECK: %[[H:.*]] = tile.program_id y
// CHECK: tile.load %[[Q]][%[[H]], %{{.*}}, %{{.*}}] masked : memref<2x37x16xf32> -> tensor<1x16x16xf32>
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %c45 step %c16{{.*}} iter_args({{.*}}) -> (tensor<16xf32>, tensor<16xf32>, tensor<16x24xf32>)
// CHECK: tile.load %[[K]][%[[H]], %[[J]], %{{.*}}] masked : memref<2x45x16xf32> -> tensor<1x16x16xf32>
// CHECK: tile.load %[[V]][%[[H]], %[[J]], %{{.*}}] masked : memref<2x45x24xf32> -> tensor<1x16x24xf32>
// CHECK: %[[S:.*]] = tile.dot {{.*}} transpose_rhs : tensor<16x16xf32>, tensor<16x16xf32> -> tensor<16x16xf32>
// CHECK: arith.mulf %[[S]], %{{.*}} : tensor<16x16xf32>
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: tile.reduce max
// CHECK: math.exp
// CHECK: tile.reduce sum
// CHECK: tile.dot {{.*}} : tensor<16x16xf32>, tensor<16x24xf32> -> tensor<16x24xf32>
// CHECK: scf.yield
// CHECK: arith.divf
// CHECK: tile.store %{{.*}}, %[[O]][%[[H]], %{{.*}}, %{{.*}}] masked : tensor<1x16x24xf32>, memref<2x37x24xf32>

// The causal loop ends at the last key tile the program's rows can see.
// CHECK-LABEL: func.func @attn_causal(
// CHECK: %[[UB:.*]] = arith.minsi %c45
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[UB]] step %c16
// CHECK: arith.cmpi slt
// CHECK: arith.cmpi sle
// CHECK: arith.andi
// CHECK: arith.select

func.func @main(%q: tensor<2x37x16xf32>, %k: tensor<2x45x16xf32>, %v: tensor<2x45x24xf32>)
    -> (tensor<2x37x24xf32>, tensor<2x37x24xf32>) {
  %0 = weft.kernel @attn(%q, %k, %v)
      : (tensor<2x37x16xf32>, tensor<2x45x16xf32>, tensor<2x45x24xf32>) -> tensor<2x37x24xf32> {
  ^bb0(%a: tensor<2x37x16xf32>, %b: tensor<2x45x16xf32>, %c: tensor<2x45x24xf32>):
    %1 = weft.attention %a, %b, %c scale = 0.25 : tensor<2x37x16xf32>, tensor<2x45x16xf32>, tensor<2x45x24xf32>
    weft.yield %1 : tensor<2x37x24xf32>
  }
  %2 = weft.kernel @attn_causal(%q, %k, %v)
      : (tensor<2x37x16xf32>, tensor<2x45x16xf32>, tensor<2x45x24xf32>) -> tensor<2x37x24xf32> {
  ^bb0(%a: tensor<2x37x16xf32>, %b: tensor<2x45x16xf32>, %c: tensor<2x45x24xf32>):
    %3 = weft.attention %a, %b, %c scale = 0.125 causal : tensor<2x37x16xf32>, tensor<2x45x16xf32>, tensor<2x45x24xf32>
    weft.yield %3 : tensor<2x37x24xf32>
  }
  return %0, %2 : tensor<2x37x24xf32>, tensor<2x37x24xf32>
}
