// RUN: weft-opt %s -weft-lower-tile-to-llvm | FileCheck %s

// The whole CPU pipeline on a tile program and the main function calling
// it (weft-tile-kernels' output): nothing but the LLVM dialect is left; the
// model's result became an out-parameter of @main, the grid a loop, the
// dot a fused multiply-add, and the kernel's buffers are freed.

// CHECK-NOT: tile.
// CHECK-NOT: linalg.
// CHECK-NOT: memref.
// CHECK-NOT: scf.
// CHECK-LABEL: llvm.func @scale_rows(
// CHECK: llvm.intr.fma
// CHECK: llvm.call @free
// CHECK-LABEL: llvm.func @main(
// CHECK-SAME: !llvm.ptr
// CHECK: llvm.call @scale_rows(
// CHECK-NOT: tile.
func.func @scale_rows(%x: memref<8x4xf32>, %w: memref<4x4xf32>, %out: memref<8x4xf32>)
    attributes {weft.grid = array<i64: 2, 1, 1>} {
  %pid = tile.program_id x
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %m = arith.muli %pid, %c4 : index
  %xt = tile.load %x[%m, %c0] : memref<8x4xf32> -> tensor<4x4xf32>
  %wt = tile.load %w[%c0, %c0] : memref<4x4xf32> -> tensor<4x4xf32>
  %zero = arith.constant dense<0.0> : tensor<4x4xf32>
  %d = tile.dot %xt, %wt, %zero : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
  %e = math.exp %d : tensor<4x4xf32>
  tile.store %e, %out[%m, %c0] : tensor<4x4xf32>, memref<8x4xf32>
  return
}

func.func @main(%arg0: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %w = arith.constant dense<0.5> : tensor<4x4xf32>
  %0 = bufferization.to_buffer %arg0 read_only : tensor<8x4xf32> to memref<8x4xf32>
  %1 = bufferization.to_buffer %w read_only : tensor<4x4xf32> to memref<4x4xf32>
  %alloc = memref.alloc() : memref<8x4xf32>
  call @scale_rows(%0, %1, %alloc) : (memref<8x4xf32>, memref<4x4xf32>, memref<8x4xf32>) -> ()
  %2 = bufferization.to_tensor %alloc restrict : memref<8x4xf32> to tensor<8x4xf32>
  return %2 : tensor<8x4xf32>
}
