// Head split / merge folded into the store: a projection [37, 48] + bias
// reshaped to [37, 4, 12] and transposed to [4, 37, 12] (column tiles shrink
// from 16 to 4 so that each lies in one head), and an attention over 2 heads
// whose [2, 37, 24] result is transposed and reshaped to [37, 48]. Checked
// against numpy.
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16 tile-n=16 tile-k=8" | FileCheck %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16 tile-n=16 tile-k=8" -o %t/tiled.mlir
// RUN: weft-run --interpret %t/tiled.mlir --entry=split --grid=36 --seed=12 \
// RUN:   --save-inputs=%t/in --save-outputs=%t/out | FileCheck %s --check-prefix=EXEC
// RUN: %python %S/Inputs/reference.py split-heads %t/in %t/out | FileCheck %s --check-prefix=NUMPY
// RUN: weft-run --interpret %t/tiled.mlir --entry=merge --grid=3,2 --seed=13 \
// RUN:   --save-inputs=%t/min --save-outputs=%t/mout | FileCheck %s --check-prefix=EXEC
// RUN: %python %S/Inputs/reference.py merge-heads %t/min %t/mout --rtol 1e-4 \
// RUN:   | FileCheck %s --check-prefix=NUMPY

// EXEC: weft-run: {{.*}}: ok
// NUMPY: numpy check: PASS

// CHECK-LABEL: func.func @split(
// CHECK-SAME: weft.grid = array<i64: 36, 1, 1>
// CHECK: tile.dot {{.*}} -> tensor<16x4xf32>
// CHECK: %[[H:.*]] = arith.divui %{{.*}}, %c12
// CHECK: %[[D:.*]] = arith.remui %{{.*}}, %c12
// CHECK: %[[E:.*]] = tensor.expand_shape
// CHECK: tile.store %[[E]], %arg3[%[[H]], %{{.*}}, %[[D]]] masked : tensor<1x16x4xf32>, memref<4x37x12xf32>

// CHECK-LABEL: func.func @merge(
// CHECK: %[[Y:.*]] = tile.program_id y
// CHECK: %[[C:.*]] = arith.muli %[[Y]], %c24
// CHECK: %[[COL:.*]] = arith.addi %[[C]]
// CHECK: tile.store %{{.*}}, %arg3[%{{.*}}, %[[COL]]] masked : tensor<16x24xf32>, memref<37x48xf32>

func.func @main(%x: tensor<37x29xf32>, %w: tensor<29x48xf32>, %b: tensor<48xf32>,
                %q: tensor<2x37x16xf32>, %k: tensor<2x45x16xf32>, %v: tensor<2x45x24xf32>)
    -> (tensor<4x37x12xf32>, tensor<37x48xf32>) {
  %0 = weft.kernel @split(%x, %w, %b)
      : (tensor<37x29xf32>, tensor<29x48xf32>, tensor<48xf32>) -> tensor<4x37x12xf32> {
  ^bb0(%a: tensor<37x29xf32>, %c: tensor<29x48xf32>, %d: tensor<48xf32>):
    %1 = weft.matmul %a, %c : tensor<37x29xf32>, tensor<29x48xf32>
    %2 = weft.add %1, %d : tensor<37x48xf32>, tensor<48xf32>
    %3 = weft.reshape %2 : tensor<37x48xf32> -> tensor<37x4x12xf32>
    %4 = weft.transpose %3 [1, 0, 2] : tensor<37x4x12xf32>
    weft.yield %4 : tensor<4x37x12xf32>
  }
  %5 = weft.kernel @merge(%q, %k, %v)
      : (tensor<2x37x16xf32>, tensor<2x45x16xf32>, tensor<2x45x24xf32>) -> tensor<37x48xf32> {
  ^bb0(%a: tensor<2x37x16xf32>, %c: tensor<2x45x16xf32>, %d: tensor<2x45x24xf32>):
    %6 = weft.attention %a, %c, %d scale = 0.25 : tensor<2x37x16xf32>, tensor<2x45x16xf32>, tensor<2x45x24xf32>
    %7 = weft.transpose %6 [1, 0, 2] : tensor<2x37x24xf32>
    %8 = weft.reshape %7 : tensor<37x2x24xf32> -> tensor<37x48xf32>
    weft.yield %8 : tensor<37x48xf32>
  }
  return %0, %5 : tensor<4x37x12xf32>, tensor<37x48xf32>
}
