// RUN: weft-opt %s -weft-fuse-attention -split-input-file | FileCheck %s
// The pass never rejects input: what does not match stays as it is, silently.
// RUN: weft-opt %s -weft-fuse-attention -split-input-file -verify-diagnostics -o /dev/null

// The multi-head layout an exporter writes (docs/examples/transformer_block):
// heads split by Reshape + Transpose, K^T as one Transpose [1, 2, 0]. K comes
// out as Transpose [1, 0, 2] of the same reshape: the [H, S, D] form of Q, V.
// CHECK-LABEL: func.func @exported_heads
// CHECK-SAME: (%[[Q:.*]]: tensor<64x128xf16>, %[[K:.*]]: tensor<64x128xf16>, %[[V:.*]]: tensor<64x128xf16>)
func.func @exported_heads(%q: tensor<64x128xf16>, %k: tensor<64x128xf16>,
                          %v: tensor<64x128xf16>) -> tensor<4x64x32xf16> {
  // CHECK: %[[QS:.*]] = weft.reshape %[[Q]]
  // CHECK: %[[QH:.*]] = weft.transpose %[[QS]] [1, 0, 2]
  // CHECK: %[[KS:.*]] = weft.reshape %[[K]]
  // CHECK: %[[KH:.*]] = weft.transpose %[[KS]] [1, 0, 2] : tensor<64x4x32xf16>
  // CHECK: %[[VS:.*]] = weft.reshape %[[V]]
  // CHECK: %[[VH:.*]] = weft.transpose %[[VS]] [1, 0, 2]
  // CHECK-NOT: weft.matmul
  // CHECK-NOT: weft.softmax
  // CHECK: %[[O:.*]] = weft.attention %[[QH]], %[[KH]], %[[VH]] scale = 0.176757813 : tensor<4x64x32xf16>, tensor<4x64x32xf16>, tensor<4x64x32xf16>
  // CHECK-NEXT: return %[[O]]
  %qs = weft.reshape %q : tensor<64x128xf16> -> tensor<64x4x32xf16>
  %qh = weft.transpose %qs [1, 0, 2] : tensor<64x4x32xf16>
  %ks = weft.reshape %k : tensor<64x128xf16> -> tensor<64x4x32xf16>
  %kt = weft.transpose %ks [1, 2, 0] : tensor<64x4x32xf16>
  %vs = weft.reshape %v : tensor<64x128xf16> -> tensor<64x4x32xf16>
  %vh = weft.transpose %vs [1, 0, 2] : tensor<64x4x32xf16>
  %s = weft.matmul %qh, %kt : tensor<4x64x32xf16>, tensor<4x32x64xf16>
  %c = arith.constant dense<1.767580e-01> : tensor<f16>
  %ss = weft.mul %s, %c : tensor<4x64x64xf16>, tensor<f16>
  %p = weft.softmax %ss axis = -1 : tensor<4x64x64xf16>
  %o = weft.matmul %p, %vh : tensor<4x64x64xf16>, tensor<4x64x32xf16>
  return %o : tensor<4x64x32xf16>
}

// -----

// [B, H, S, D] with K^T = Transpose [0, 1, 3, 2] of K: K is used as is.
// Div by a constant is a scale of 1 / c; a constant lower-triangular -inf
// mask is `causal`.
// CHECK-LABEL: func.func @causal_div
// CHECK-SAME: (%[[Q:.*]]: tensor<1x2x4x8xf32>, %[[K:.*]]: tensor<1x2x4x8xf32>, %[[V:.*]]: tensor<1x2x4x8xf32>)
func.func @causal_div(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>,
                      %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  // CHECK-NOT: weft.transpose
  // CHECK: %[[O:.*]] = weft.attention %[[Q]], %[[K]], %[[V]] scale = 1.250000e-01 causal : tensor<1x2x4x8xf32>
  // CHECK-NOT: mask
  // CHECK-NEXT: return %[[O]]
  %kt = weft.transpose %k [0, 1, 3, 2] : tensor<1x2x4x8xf32>
  %s = weft.matmul %q, %kt : tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>
  %c = arith.constant dense<8.0> : tensor<1xf32>
  %ss = weft.div %s, %c : tensor<1x2x4x4xf32>, tensor<1xf32>
  %m = arith.constant dense<[[0.0, 0xFF800000, 0xFF800000, 0xFF800000],
                             [0.0, 0.0, 0xFF800000, 0xFF800000],
                             [0.0, 0.0, 0.0, 0xFF800000],
                             [0.0, 0.0, 0.0, 0.0]]> : tensor<4x4xf32>
  %sm = weft.add %ss, %m : tensor<1x2x4x4xf32>, tensor<4x4xf32>
  %p = weft.softmax %sm axis = 3 : tensor<1x2x4x4xf32>
  %o = weft.matmul %p, %v : tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Scale on Q before the product times a scale after it; the causal mask of
// a query shorter than the keys is aligned bottom-right (t <= s + T - S),
// here with the lowest finite f16 instead of -inf, mask as the lhs of Add.
// CHECK-LABEL: func.func @prescaled_rectangular_causal
// CHECK-SAME: (%[[Q:.*]]: tensor<2x2x8xf16>, %[[K:.*]]: tensor<2x3x8xf16>, %[[V:.*]]: tensor<2x3x8xf16>)
func.func @prescaled_rectangular_causal(%q: tensor<2x2x8xf16>, %k: tensor<2x3x8xf16>,
                                        %v: tensor<2x3x8xf16>) -> tensor<2x2x8xf16> {
  // CHECK: %[[O:.*]] = weft.attention %[[Q]], %[[K]], %[[V]] scale = 2.500000e-01 causal
  // CHECK-NEXT: return %[[O]]
  %c = arith.constant dense<0.5> : tensor<f16>
  %qs = weft.mul %c, %q : tensor<f16>, tensor<2x2x8xf16>
  %kt = weft.transpose %k [0, 2, 1] : tensor<2x3x8xf16>
  %s = weft.matmul %qs, %kt : tensor<2x2x8xf16>, tensor<2x8x3xf16>
  %ss = weft.mul %s, %c : tensor<2x2x3xf16>, tensor<f16>
  %m = arith.constant dense<[[0.0, 0.0, 0xFBFF], [0.0, 0.0, 0.0]]> : tensor<2x3xf16>
  %sm = weft.add %m, %ss : tensor<2x3xf16>, tensor<2x2x3xf16>
  %p = weft.softmax %sm axis = -1 : tensor<2x2x3xf16>
  %o = weft.matmul %p, %v : tensor<2x2x3xf16>, tensor<2x3x8xf16>
  return %o : tensor<2x2x8xf16>
}

// -----

// A mask that is not causal (a padding mask, or a triangle the wrong way
// round) stays an operand; without a scale op the scale is 1. A mask of
// zeros adds nothing and is dropped.
// CHECK-LABEL: func.func @masks
func.func @masks(%q: tensor<4x8xf32>, %k: tensor<4x8xf32>, %v: tensor<4x8xf32>,
                 %pad: tensor<1x4xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  // CHECK: weft.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}} : tensor<1x4xf32>) scale = 1.000000e+00 :
  // CHECK: %[[UPPER:.*]] = arith.constant dense<{{.*}}> : tensor<4x4xf32>
  %kt = weft.transpose %k [1, 0] : tensor<4x8xf32>
  %s0 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %m0 = weft.add %s0, %pad : tensor<4x4xf32>, tensor<1x4xf32>
  %p0 = weft.softmax %m0 axis = 1 : tensor<4x4xf32>
  %o0 = weft.matmul %p0, %v : tensor<4x4xf32>, tensor<4x8xf32>
  // CHECK: weft.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%[[UPPER]] : tensor<4x4xf32>) scale = 1.000000e+00 :
  %upper = arith.constant dense<[[0.0, 0.0, 0.0, 0.0],
                                 [0xFF800000, 0.0, 0.0, 0.0],
                                 [0xFF800000, 0xFF800000, 0.0, 0.0],
                                 [0xFF800000, 0xFF800000, 0xFF800000, 0.0]]> : tensor<4x4xf32>
  %s1 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %m1 = weft.add %s1, %upper : tensor<4x4xf32>, tensor<4x4xf32>
  %p1 = weft.softmax %m1 axis = 1 : tensor<4x4xf32>
  %o1 = weft.matmul %p1, %v : tensor<4x4xf32>, tensor<4x8xf32>
  // CHECK: weft.attention %{{.*}}, %{{.*}}, %{{.*}} scale = 1.000000e+00 : tensor<4x8xf32>
  %zero = arith.constant dense<0.0> : tensor<4x4xf32>
  %s2 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %m2 = weft.add %s2, %zero : tensor<4x4xf32>, tensor<4x4xf32>
  %p2 = weft.softmax %m2 axis = 1 : tensor<4x4xf32>
  %o2 = weft.matmul %p2, %v : tensor<4x4xf32>, tensor<4x8xf32>
  // CHECK-NOT: weft.matmul
  // CHECK-NOT: weft.softmax
  return %o0, %o1, %o2 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Not fused: an intermediate with another user would have to be written to
// memory anyway; each of scores, scaled scores and probabilities escapes.
// CHECK-LABEL: func.func @intermediates_escape
// CHECK-NOT: weft.attention
// CHECK: return
func.func @intermediates_escape(%q: tensor<4x8xf32>, %k: tensor<4x8xf32>, %v: tensor<4x8xf32>)
    -> (tensor<4x8xf32>, tensor<4x4xf32>, tensor<4x8xf32>, tensor<4x4xf32>, tensor<4x8xf32>, tensor<4x4xf32>) {
  %kt = weft.transpose %k [1, 0] : tensor<4x8xf32>
  %c = arith.constant dense<0.5> : tensor<f32>
  %s0 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %t0 = weft.mul %s0, %c : tensor<4x4xf32>, tensor<f32>
  %p0 = weft.softmax %t0 axis = 1 : tensor<4x4xf32>
  %o0 = weft.matmul %p0, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %s1 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %t1 = weft.mul %s1, %c : tensor<4x4xf32>, tensor<f32>
  %p1 = weft.softmax %t1 axis = 1 : tensor<4x4xf32>
  %o1 = weft.matmul %p1, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %s2 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %p2 = weft.softmax %s2 axis = 1 : tensor<4x4xf32>
  %o2 = weft.matmul %p2, %v : tensor<4x4xf32>, tensor<4x8xf32>
  return %o0, %s0, %o1, %t1, %o2, %p2
      : tensor<4x8xf32>, tensor<4x4xf32>, tensor<4x8xf32>, tensor<4x4xf32>, tensor<4x8xf32>, tensor<4x4xf32>
}

// -----

// Not fused: softmax over another axis, a scale that is not a splat
// constant, a mask added after scaling the masked scores (that would scale
// the mask), K^T that is not a transpose, and batch dimensions that
// broadcast (one K for two Q batches).
// CHECK-LABEL: func.func @not_attention
// CHECK-NOT: weft.attention
// CHECK: return
func.func @not_attention(%q: tensor<4x8xf32>, %k: tensor<4x8xf32>, %v: tensor<4x8xf32>,
                         %scale: tensor<f32>, %m: tensor<4x4xf32>, %kt_arg: tensor<8x4xf32>,
                         %q2: tensor<2x4x8xf32>, %v2: tensor<2x4x8xf32>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<2x4x8xf32>) {
  %kt = weft.transpose %k [1, 0] : tensor<4x8xf32>
  %s0 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %p0 = weft.softmax %s0 axis = 0 : tensor<4x4xf32>
  %o0 = weft.matmul %p0, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %s1 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %t1 = weft.mul %s1, %scale : tensor<4x4xf32>, tensor<f32>
  %p1 = weft.softmax %t1 axis = 1 : tensor<4x4xf32>
  %o1 = weft.matmul %p1, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %c = arith.constant dense<0.5> : tensor<f32>
  %s2 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %m2 = weft.add %s2, %m : tensor<4x4xf32>, tensor<4x4xf32>
  %t2 = weft.mul %m2, %c : tensor<4x4xf32>, tensor<f32>
  %p2 = weft.softmax %t2 axis = 1 : tensor<4x4xf32>
  %o2 = weft.matmul %p2, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %s3 = weft.matmul %q, %kt_arg : tensor<4x8xf32>, tensor<8x4xf32>
  %p3 = weft.softmax %s3 axis = 1 : tensor<4x4xf32>
  %o3 = weft.matmul %p3, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %s4 = weft.matmul %q2, %kt : tensor<2x4x8xf32>, tensor<8x4xf32>
  %p4 = weft.softmax %s4 axis = 2 : tensor<2x4x4xf32>
  %o4 = weft.matmul %p4, %v2 : tensor<2x4x4xf32>, tensor<2x4x8xf32>
  return %o0, %o1, %o2, %o3, %o4 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<2x4x8xf32>
}
