// weft-tile-kernels on a GEMM with a bias + GELU (tanh) + residual + ReLU
// epilogue at odd sizes (37x45x29, tiles 16x16x8: tails in M, N and K), and on
// a batched GEMM whose batch maps to grid y; both checked against numpy.
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16 tile-n=16 tile-k=8" | FileCheck %s
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16 tile-n=16 tile-k=8" -o %t/tiled.mlir
// RUN: weft-run --interpret %t/tiled.mlir --entry=mm_epilogue --grid=9 --seed=3 \
// RUN:   --save-inputs=%t/in --save-outputs=%t/out | FileCheck %s --check-prefix=EXEC
// RUN: %python %S/Inputs/reference.py matmul-epilogue %t/in %t/out --atol 1e-5 --rtol 1e-5 \
// RUN:   | FileCheck %s --check-prefix=NUMPY
// RUN: weft-run --interpret %t/tiled.mlir --entry=bmm --grid=9,3 --seed=5 \
// RUN:   --save-inputs=%t/bin --save-outputs=%t/bout | FileCheck %s --check-prefix=EXEC
// RUN: %python %S/Inputs/reference.py batched-matmul %t/bin %t/bout --atol 1e-5 --rtol 1e-5 \
// RUN:   | FileCheck %s --check-prefix=NUMPY

// EXEC: weft-run: {{.*}}: ok
// NUMPY: numpy check: PASS

// CHECK-LABEL: func.func @mm_epilogue(
// CHECK-SAME: %[[A:.*]]: memref<37x29xf32>, %[[B:.*]]: memref<29x45xf32>, %[[BIAS:.*]]: memref<45xf32>, %[[RES:.*]]: memref<37x45xf32>, %[[OUT:.*]]: memref<37x45xf32>)
// CHECK-SAME: weft.grid = array<i64: 9, 1, 1>
// CHECK: tile.program_id x
// CHECK: %[[ACC:.*]] = scf.for %[[K:.*]] = %{{.*}} to %c29 step %c8 iter_args(%[[IT:.*]] = %{{.*}}) -> (tensor<16x16xf32>)
// CHECK: %[[AT:.*]] = tile.load %[[A]][%{{.*}}, %[[K]]] masked : memref<37x29xf32> -> tensor<16x8xf32>
// CHECK: %[[BT:.*]] = tile.load %[[B]][%[[K]], %{{.*}}] masked : memref<29x45xf32> -> tensor<8x16xf32>
// CHECK: tile.dot %[[AT]], %[[BT]], %[[IT]] : tensor<16x8xf32>, tensor<8x16xf32> -> tensor<16x16xf32>
// CHECK: tile.load %[[RES]]{{.*}} masked : memref<37x45xf32> -> tensor<16x16xf32>
// CHECK: %[[BV:.*]] = tile.load %[[BIAS]]{{.*}} masked : memref<45xf32> -> tensor<16xf32>
// CHECK: tile.broadcast %[[BV]] [0] : tensor<16xf32> -> tensor<16x16xf32>
// CHECK: math.tanh
// CHECK: arith.maximumf
// CHECK: tile.store %{{.*}}, %[[OUT]][%{{.*}}, %{{.*}}] masked : tensor<16x16xf32>, memref<37x45xf32>
// CHECK-NEXT: return

// CHECK-LABEL: func.func @bmm(
// CHECK-SAME: weft.grid = array<i64: 9, 3, 1>
// CHECK: %[[Y:.*]] = tile.program_id y
// CHECK: scf.for
// CHECK: %[[L:.*]] = tile.load %arg0[%[[Y]], %{{.*}}, %{{.*}}] masked : memref<3x37x29xf32> -> tensor<1x16x8xf32>
// CHECK: tensor.collapse_shape %[[L]] {{\[}}[0, 1], [2]] : tensor<1x16x8xf32> into tensor<16x8xf32>
// CHECK: tile.dot
// CHECK: math.erf
// CHECK: %[[E:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [1, 16, 16]
// CHECK: tile.store %[[E]], %arg3[%[[Y]], %{{.*}}, %{{.*}}] masked : tensor<1x16x16xf32>, memref<3x37x45xf32>

// The graph calls the programs on bufferized operands.
// CHECK-LABEL: func.func @main(
// CHECK: bufferization.to_buffer %{{.*}} read_only : tensor<37x29xf32> to memref<37x29xf32>
// CHECK: %[[O:.*]] = memref.alloc() : memref<37x45xf32>
// CHECK: call @mm_epilogue({{.*}}, %[[O]]) : (memref<37x29xf32>, memref<29x45xf32>, memref<45xf32>, memref<37x45xf32>, memref<37x45xf32>) -> ()
// CHECK: bufferization.to_tensor %[[O]] restrict : memref<37x45xf32> to tensor<37x45xf32>
// CHECK: call @bmm(
// CHECK-NOT: weft.kernel

func.func @main(%a: tensor<37x29xf32>, %b: tensor<29x45xf32>, %bias: tensor<45xf32>,
                %r: tensor<37x45xf32>, %ba: tensor<3x37x29xf32>,
                %s: tensor<3x1x45xf32>) -> (tensor<37x45xf32>, tensor<3x37x45xf32>) {
  %0 = weft.kernel @mm_epilogue(%a, %b, %bias, %r)
      : (tensor<37x29xf32>, tensor<29x45xf32>, tensor<45xf32>, tensor<37x45xf32>) -> tensor<37x45xf32> {
  ^bb0(%x: tensor<37x29xf32>, %y: tensor<29x45xf32>, %z: tensor<45xf32>, %w: tensor<37x45xf32>):
    %1 = weft.matmul %x, %y : tensor<37x29xf32>, tensor<29x45xf32>
    %2 = weft.add %1, %z : tensor<37x45xf32>, tensor<45xf32>
    %3 = weft.gelu %2 approximate = tanh : tensor<37x45xf32>
    %4 = weft.add %w, %3 : tensor<37x45xf32>, tensor<37x45xf32>
    %5 = weft.relu %4 : tensor<37x45xf32>
    weft.yield %5 : tensor<37x45xf32>
  }
  %6 = weft.kernel @bmm(%ba, %b, %s)
      : (tensor<3x37x29xf32>, tensor<29x45xf32>, tensor<3x1x45xf32>) -> tensor<3x37x45xf32> {
  ^bb0(%x: tensor<3x37x29xf32>, %y: tensor<29x45xf32>, %z: tensor<3x1x45xf32>):
    %7 = weft.matmul %x, %y : tensor<3x37x29xf32>, tensor<29x45xf32>
    %8 = weft.gelu %7 : tensor<3x37x45xf32>
    %9 = weft.mul %8, %z : tensor<3x37x45xf32>, tensor<3x1x45xf32>
    weft.yield %9 : tensor<3x37x45xf32>
  }
  return %0, %6 : tensor<37x45xf32>, tensor<3x37x45xf32>
}
