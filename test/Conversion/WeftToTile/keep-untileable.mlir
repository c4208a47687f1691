// RUN: weft-opt %s -weft-tile-kernels="tile-m=16 tile-n=16 tile-k=16 keep-untileable" | FileCheck %s
// RUN: weft-opt %s -weft-tile-kernels="tile-m=16 tile-n=16 tile-k=16" -verify-diagnostics

// With keep-untileable (the CPU targets), a kernel the tiler cannot tile stays
// a weft.kernel, silently, for weft-lower-kernels-to-linalg; the others are
// tiled as always. Without it, the same kernel is an error.

// CHECK: func.func @main_relu
// CHECK: tile.program_id
// CHECK: func.func @main
// CHECK: weft.kernel @main_transpose
// CHECK: weft.transpose
// CHECK: call @main_relu
func.func @main(%x: tensor<4x8xf32>) -> (tensor<8x4xf32>, tensor<4x8xf32>) {
  %0 = weft.kernel @main_transpose(%x) : (tensor<4x8xf32>) -> tensor<8x4xf32> {
  ^bb0(%a: tensor<4x8xf32>):
    // expected-error @+1 {{weft-tile-kernels: unsupported layout op in kernel @main_transpose}}
    %r = weft.transpose %a [1, 0] : tensor<4x8xf32>
    weft.yield %r : tensor<8x4xf32>
  }
  %1 = weft.kernel @main_relu(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32> {
  ^bb0(%a: tensor<4x8xf32>):
    %r = weft.relu %a : tensor<4x8xf32>
    weft.yield %r : tensor<4x8xf32>
  }
  return %0, %1 : tensor<8x4xf32>, tensor<4x8xf32>
}
