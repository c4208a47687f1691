// The transformer block of the main example, imported from ONNX, through
// the whole graph fusion pipeline; the second weft-opt reparses and
// verifies the printed kernels.
// RUN: weft-translate --import-onnx %weft_src_root/docs/examples/transformer_block.onnx \
// RUN:   | weft-opt -weft-graph-fusion | weft-opt | FileCheck %s
// Small cases of how the passes of the pipeline meet.
// RUN: weft-opt %s -weft-graph-fusion -split-input-file | FileCheck %s --check-prefix=PIPE

// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: tensor<64x128xf16>) -> tensor<64x128xf16>

// Nothing is left outside a kernel but the weights.
// CHECK-NOT: weft.{{[a-z_]+}} %
// CHECK: %[[LN1:.*]] = weft.kernel @main_layer_norm_0(%[[X]], %{{.*}}, %{{.*}}) : (tensor<64x128xf16>, tensor<128xf16>, tensor<128xf16>) -> tensor<64x128xf16>
// CHECK-NEXT: ^bb0
// CHECK-NEXT: weft.layer_norm
// CHECK-NEXT: weft.yield

// The Q, K and V projections write their result in the [heads, S, D]
// layout (bias, head split); K comes out like Q and V, not transposed.
// CHECK: %[[Q:.*]] = weft.kernel @main_matmul_1(%[[LN1]], %{{.*}}, %{{.*}}) : (tensor<64x128xf16>, tensor<128x128xf16>, tensor<128xf16>) -> tensor<4x64x32xf16>
// CHECK-NEXT: ^bb0
// CHECK-NEXT: weft.matmul
// CHECK-NEXT: weft.add
// CHECK-NEXT: weft.reshape {{.*}} -> tensor<64x4x32xf16>
// CHECK-NEXT: weft.transpose %{{.*}} [1, 0, 2]
// CHECK-NEXT: weft.yield
// CHECK: %[[K:.*]] = weft.kernel @main_matmul_2(%[[LN1]], %{{.*}}, %{{.*}}) : {{.*}} -> tensor<4x64x32xf16>
// CHECK-NEXT: ^bb0
// CHECK-NEXT: weft.matmul
// CHECK-NEXT: weft.add
// CHECK-NEXT: weft.reshape
// CHECK-NEXT: weft.transpose %{{.*}} [1, 0, 2]
// CHECK-NEXT: weft.yield
// CHECK: %[[V:.*]] = weft.kernel @main_matmul_3(%[[LN1]], %{{.*}}, %{{.*}}) : {{.*}} -> tensor<4x64x32xf16>

// One attention kernel (no score matrix in memory) that merges the heads
// back into [S, H * D] as it stores.
// CHECK: %[[ATT:.*]] = weft.kernel @main_attention_4(%[[Q]], %[[K]], %[[V]]) : (tensor<4x64x32xf16>, tensor<4x64x32xf16>, tensor<4x64x32xf16>) -> tensor<64x128xf16>
// CHECK-NEXT: ^bb0
// CHECK-NEXT: weft.attention %{{.*}}, %{{.*}}, %{{.*}} scale = 0.176757813 : tensor<4x64x32xf16>, tensor<4x64x32xf16>, tensor<4x64x32xf16>
// CHECK-NEXT: weft.transpose %{{.*}} [1, 0, 2]
// CHECK-NEXT: weft.reshape {{.*}} -> tensor<64x128xf16>
// CHECK-NEXT: weft.yield

// Output projection with the first residual as its epilogue.
// CHECK: %[[X1:.*]] = weft.kernel @main_matmul_5(%[[ATT]], %{{.*}}, %[[X]])
// CHECK-NEXT: ^bb0
// CHECK-NEXT: weft.matmul
// CHECK-NEXT: weft.add
// CHECK-NEXT: weft.yield
// CHECK: %[[LN2:.*]] = weft.kernel @main_layer_norm_6(%[[X1]],

// The int4 MLP: dequantization inside the GEMM, GELU as its epilogue; the
// second GEMM's symmetric zero point (a splat) is an immediate in the body,
// the second residual its epilogue.
// CHECK: %[[UP:.*]] = weft.kernel @main_qmatmul_7(%[[LN2]], %{{.*}}, %{{.*}}, %{{.*}}) : (tensor<64x128xf16>, tensor<128x256xui4>, tensor<4x256xf16>, tensor<4x256xui4>) -> tensor<64x256xf16>
// CHECK-NEXT: ^bb0
// CHECK-NEXT: weft.qmatmul %{{.*}} block_size = 32
// CHECK-NEXT: weft.gelu
// CHECK-NEXT: weft.yield
// CHECK: %[[Y:.*]] = weft.kernel @main_qmatmul_8(%[[UP]], %{{.*}}, %{{.*}}, %[[X1]]) : (tensor<64x256xf16>, tensor<256x128xui4>, tensor<8x128xf16>, tensor<64x128xf16>) -> tensor<64x128xf16>
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.constant dense<8> : tensor<8x128xui4>
// CHECK-NEXT: weft.qmatmul
// CHECK-NEXT: weft.add
// CHECK-NEXT: weft.yield
// CHECK: return %[[Y]] : tensor<64x128xf16>
// CHECK-NOT: weft.kernel

// -----

// A dequantized weight with two users is not folded; it and a lone op get a
// kernel each from weft-wrap-kernels, numbered after the fusion groups.
// PIPE-LABEL: func.func @leftovers
func.func @leftovers(%x: tensor<16x256xf16>, %w: tensor<256x64xi4>, %s: tensor<8x64xf16>,
                     %b: tensor<64xf16>) -> (tensor<16x64xf16>, tensor<256x64xf16>, tensor<256x64xf16>) {
  // PIPE: %[[W:.*]] = weft.kernel @leftovers_dequantize_1(
  // PIPE-NEXT: ^bb0
  // PIPE-NEXT: weft.dequantize
  // PIPE: weft.kernel @leftovers_matmul_0(%{{.*}}, %[[W]], %{{.*}})
  // PIPE-NEXT: ^bb0
  // PIPE-NEXT: weft.matmul
  // PIPE-NEXT: weft.add
  // PIPE-NEXT: weft.relu
  // PIPE-NEXT: weft.yield
  // PIPE: weft.kernel @leftovers_neg_2(%[[W]])
  %wf = weft.dequantize %w, %s axis = 0 block_size = 32 : tensor<256x64xi4>, tensor<8x64xf16>
  %0 = weft.matmul %x, %wf : tensor<16x256xf16>, tensor<256x64xf16>
  %1 = weft.add %0, %b : tensor<16x64xf16>, tensor<64xf16>
  %2 = weft.relu %1 : tensor<16x64xf16>
  %3 = weft.neg %wf : tensor<256x64xf16>
  return %2, %wf, %3 : tensor<16x64xf16>, tensor<256x64xf16>, tensor<256x64xf16>
}

// -----

// Attention first, then its kernel: causal mask folded, head merge fused.
// PIPE-LABEL: func.func @causal
func.func @causal(%q: tensor<2x4x8xf32>, %k: tensor<2x4x8xf32>, %v: tensor<2x4x8xf32>) -> tensor<4x16xf32> {
  // PIPE: weft.kernel @causal_attention_0(
  // PIPE-NEXT: ^bb0
  // PIPE-NEXT: weft.attention %{{.*}}, %{{.*}}, %{{.*}} scale = 0.353553385 causal
  // PIPE-NEXT: weft.transpose
  // PIPE-NEXT: weft.reshape
  // PIPE-NEXT: weft.yield
  // PIPE-NOT: weft.kernel
  %kt = weft.transpose %k [0, 2, 1] : tensor<2x4x8xf32>
  %s = weft.matmul %q, %kt : tensor<2x4x8xf32>, tensor<2x8x4xf32>
  %c = arith.constant dense<0.353553385> : tensor<f32>
  %ss = weft.mul %s, %c : tensor<2x4x4xf32>, tensor<f32>
  %m = arith.constant dense<[[0.0, 0xFF800000, 0xFF800000, 0xFF800000],
                             [0.0, 0.0, 0xFF800000, 0xFF800000],
                             [0.0, 0.0, 0.0, 0xFF800000],
                             [0.0, 0.0, 0.0, 0.0]]> : tensor<4x4xf32>
  %sm = weft.add %ss, %m : tensor<2x4x4xf32>, tensor<4x4xf32>
  %p = weft.softmax %sm axis = -1 : tensor<2x4x4xf32>
  %o = weft.matmul %p, %v : tensor<2x4x4xf32>, tensor<2x4x8xf32>
  %t = weft.transpose %o [1, 0, 2] : tensor<2x4x8xf32>
  %r = weft.reshape %t : tensor<4x2x8xf32> -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}
