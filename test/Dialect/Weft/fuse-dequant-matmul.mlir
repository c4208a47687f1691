// RUN: weft-opt %s -weft-fuse-dequant-matmul -split-input-file | FileCheck %s
// The pass never rejects input: what does not match stays as it is, silently.
// RUN: weft-opt %s -weft-fuse-dequant-matmul -split-input-file -verify-diagnostics -o /dev/null

// Blockwise int4 weight with zero points, as MatMulNBits imports.
// CHECK-LABEL: func.func @blockwise
// CHECK-SAME: (%[[X:.*]]: tensor<2x16x256xf16>, %[[W:.*]]: tensor<256x64xi4>, %[[S:.*]]: tensor<8x64xf16>, %[[Z:.*]]: tensor<8x64xi4>)
func.func @blockwise(%x: tensor<2x16x256xf16>, %w: tensor<256x64xi4>,
                     %s: tensor<8x64xf16>, %z: tensor<8x64xi4>) -> tensor<2x16x64xf16> {
  // CHECK-NOT: weft.dequantize
  // CHECK: %[[R:.*]] = weft.qmatmul %[[X]], %[[W]], %[[S]], %[[Z]] block_size = 32 : tensor<2x16x256xf16>, tensor<256x64xi4>, tensor<8x64xf16>, tensor<8x64xi4>
  // CHECK-NEXT: return %[[R]]
  %wf = weft.dequantize %w, %s, %z axis = 0 block_size = 32
          : tensor<256x64xi4>, tensor<8x64xf16>, tensor<8x64xi4>
  %0 = weft.matmul %x, %wf : tensor<2x16x256xf16>, tensor<256x64xf16>
  return %0 : tensor<2x16x64xf16>
}

// -----

// Symmetric (no zero point), axis counted from the back, and one scale per
// column (block_size 0).
// CHECK-LABEL: func.func @symmetric_per_column
func.func @symmetric_per_column(%x: tensor<16x128xf32>, %w: tensor<128x32xui8>,
                                %s: tensor<1x32xf32>) -> tensor<16x32xf32> {
  // CHECK: weft.qmatmul %{{.*}}, %{{.*}}, %{{.*}} block_size = 0 : tensor<16x128xf32>, tensor<128x32xui8>, tensor<1x32xf32>
  // CHECK-NOT: weft.dequantize
  %wf = weft.dequantize %w, %s axis = -2 block_size = 0
          : tensor<128x32xui8>, tensor<1x32xf32>
  %0 = weft.matmul %x, %wf : tensor<16x128xf32>, tensor<128x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

// Not fused: the float weight has another user (it is materialized anyway),
// the dequantized tensor is the lhs, the weight is quantized along N rather
// than K, and the weight is not 2-D.
// CHECK-LABEL: func.func @not_fused
// CHECK-NOT: weft.qmatmul
// CHECK: return
func.func @not_fused(%x: tensor<16x256xf16>, %w: tensor<256x64xi4>, %s: tensor<8x64xf16>,
                     %a: tensor<64x16xi8>, %as: tensor<2x16xf16>,
                     %sn: tensor<256x2xf16>, %w3: tensor<2x256x64xi4>, %s3: tensor<2x8x64xf16>)
    -> (tensor<16x64xf16>, tensor<256x64xf16>, tensor<64x256xf16>, tensor<16x64xf16>, tensor<2x16x64xf16>) {
  %wf = weft.dequantize %w, %s axis = 0 block_size = 32
          : tensor<256x64xi4>, tensor<8x64xf16>
  %0 = weft.matmul %x, %wf : tensor<16x256xf16>, tensor<256x64xf16>
  %af = weft.dequantize %a, %as axis = 0 block_size = 32
          : tensor<64x16xi8>, tensor<2x16xf16>
  %1 = weft.matmul %af, %x : tensor<64x16xf16>, tensor<16x256xf16>
  %wn = weft.dequantize %w, %sn axis = 1 block_size = 32
          : tensor<256x64xi4>, tensor<256x2xf16>
  %2 = weft.matmul %x, %wn : tensor<16x256xf16>, tensor<256x64xf16>
  %w3f = weft.dequantize %w3, %s3 axis = 1 block_size = 32
          : tensor<2x256x64xi4>, tensor<2x8x64xf16>
  %3 = weft.matmul %x, %w3f : tensor<16x256xf16>, tensor<2x256x64xf16>
  return %0, %wf, %1, %2, %3
      : tensor<16x64xf16>, tensor<256x64xf16>, tensor<64x256xf16>, tensor<16x64xf16>, tensor<2x16x64xf16>
}
