// RUN: weft-opt %s | FileCheck %s
// Round trip: the printed form parses back to the same IR.
// RUN: weft-opt %s | weft-opt | FileCheck %s
// RUN: weft-opt %s -mlir-print-op-generic | weft-opt | FileCheck %s

// CHECK-LABEL: func.func @gemm_bias_gelu
func.func @gemm_bias_gelu(%a: tensor<64x32xf16>, %b: tensor<32x16xf16>,
                          %bias: tensor<16xf16>) -> tensor<64x16xf16> {
  // CHECK: %[[MM:.*]] = weft.matmul %{{.*}}, %{{.*}} : tensor<64x32xf16>, tensor<32x16xf16>
  %0 = weft.matmul %a, %b : tensor<64x32xf16>, tensor<32x16xf16>
  // CHECK: %[[ADD:.*]] = weft.add %[[MM]], %{{.*}} : tensor<64x16xf16>, tensor<16xf16>
  %1 = weft.add %0, %bias : tensor<64x16xf16>, tensor<16xf16>
  // CHECK: weft.gelu %[[ADD]] approximate = tanh : tensor<64x16xf16>
  %2 = weft.gelu %1 approximate = tanh : tensor<64x16xf16>
  // CHECK: weft.gelu %{{.*}} : tensor<64x16xf16>
  %3 = weft.gelu %2 : tensor<64x16xf16>
  return %3 : tensor<64x16xf16>
}

// CHECK-LABEL: func.func @batched_matmul_broadcast
func.func @batched_matmul_broadcast(%a: tensor<2x1x64x32xf32>, %b: tensor<3x32x16xf32>) -> tensor<2x3x64x16xf32> {
  %0 = weft.matmul %a, %b : tensor<2x1x64x32xf32>, tensor<3x32x16xf32>
  return %0 : tensor<2x3x64x16xf32>
}

// The unfused attention pattern and the fused op it becomes.
// CHECK-LABEL: func.func @attention
func.func @attention(%q: tensor<1x8x256x64xf16>, %k: tensor<1x8x256x64xf16>,
                     %v: tensor<1x8x256x64xf16>, %scale: tensor<f16>)
    -> (tensor<1x8x256x64xf16>, tensor<1x8x256x64xf16>) {
  // CHECK: weft.transpose %{{.*}} [0, 1, 3, 2] : tensor<1x8x256x64xf16>
  %kt = weft.transpose %k [0, 1, 3, 2] : tensor<1x8x256x64xf16>
  %s = weft.matmul %q, %kt : tensor<1x8x256x64xf16>, tensor<1x8x64x256xf16>
  %ss = weft.mul %s, %scale : tensor<1x8x256x256xf16>, tensor<f16>
  // CHECK: weft.softmax %{{.*}} axis = -1 : tensor<1x8x256x256xf16>
  %p = weft.softmax %ss axis = -1 : tensor<1x8x256x256xf16>
  %o = weft.matmul %p, %v : tensor<1x8x256x256xf16>, tensor<1x8x256x64xf16>
  // CHECK: weft.attention %{{.*}}, %{{.*}}, %{{.*}} scale = 1.250000e-01 causal : tensor<1x8x256x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x64xf16>
  %f = weft.attention %q, %k, %v scale = 0.125 causal
         : tensor<1x8x256x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x64xf16>
  return %o, %f : tensor<1x8x256x64xf16>, tensor<1x8x256x64xf16>
}

// CHECK-LABEL: func.func @masked_attention
func.func @masked_attention(%q: tensor<2x128x64xf32>, %k: tensor<2x96x64xf32>,
                            %v: tensor<2x96x32xf32>, %m: tensor<128x96xf32>) -> tensor<2x128x32xf32> {
  // CHECK: weft.attention {{.*}} mask(%{{.*}} : tensor<128x96xf32>) scale = 1.000000e+00
  %0 = weft.attention %q, %k, %v mask(%m : tensor<128x96xf32>) scale = 1.0
         : tensor<2x128x64xf32>, tensor<2x96x64xf32>, tensor<2x96x32xf32>
  return %0 : tensor<2x128x32xf32>
}

// Weight-only int4 GEMM, both as dequantize + matmul and as one qmatmul.
// CHECK-LABEL: func.func @int4_gemm
func.func @int4_gemm(%x: tensor<16x256xf16>, %w: tensor<256x64xi4>,
                     %s: tensor<8x64xf16>, %z: tensor<8x64xi4>)
    -> (tensor<16x64xf16>, tensor<16x64xf16>) {
  // CHECK: weft.dequantize %{{.*}}, %{{.*}}, %{{.*}} axis = 0 block_size = 32 : tensor<256x64xi4>, tensor<8x64xf16>, tensor<8x64xi4>
  %wf = weft.dequantize %w, %s, %z axis = 0 block_size = 32
          : tensor<256x64xi4>, tensor<8x64xf16>, tensor<8x64xi4>
  %0 = weft.matmul %x, %wf : tensor<16x256xf16>, tensor<256x64xf16>
  // CHECK: weft.qmatmul %{{.*}}, %{{.*}}, %{{.*}} block_size = 32 : tensor<16x256xf16>, tensor<256x64xi4>, tensor<8x64xf16>
  %1 = weft.qmatmul %x, %w, %s block_size = 32
         : tensor<16x256xf16>, tensor<256x64xi4>, tensor<8x64xf16>
  return %0, %1 : tensor<16x64xf16>, tensor<16x64xf16>
}

// CHECK-LABEL: func.func @norms_and_elementwise
func.func @norms_and_elementwise(%x: tensor<8x512xf32>, %g: tensor<512xf32>, %b: tensor<512xf32>,
                                 %y: tensor<8x512xf32>) -> tensor<8x512xf32> {
  // CHECK: weft.layer_norm %{{.*}}, %{{.*}}, %{{.*}} axis = -1 epsilon = 9.99999974E-6 : tensor<8x512xf32>, tensor<512xf32>, tensor<512xf32> -> tensor<8x512xf32>
  %0 = weft.layer_norm %x, %g, %b axis = -1 epsilon = 1.0e-05
         : tensor<8x512xf32>, tensor<512xf32>, tensor<512xf32> -> tensor<8x512xf32>
  // CHECK: weft.layer_norm %{{.*}}, %{{.*}} axis = 1 epsilon = {{.*}} rms : tensor<8x512xf32>, tensor<512xf32> -> tensor<8x512xf32>
  %1 = weft.layer_norm %0, %g axis = 1 epsilon = 1.0e-06 rms
         : tensor<8x512xf32>, tensor<512xf32> -> tensor<8x512xf32>
  %2 = weft.sub %1, %y : tensor<8x512xf32>, tensor<8x512xf32>
  %3 = weft.div %2, %y : tensor<8x512xf32>, tensor<8x512xf32>
  %4 = weft.max %3, %y : tensor<8x512xf32>, tensor<8x512xf32>
  %5 = weft.neg %4 : tensor<8x512xf32>
  %6 = weft.exp %5 : tensor<8x512xf32>
  %7 = weft.relu %6 : tensor<8x512xf32>
  %8 = weft.sigmoid %7 : tensor<8x512xf32>
  %9 = weft.tanh %8 : tensor<8x512xf32>
  %10 = weft.erf %9 : tensor<8x512xf32>
  %s = weft.sqrt %10 : tensor<8x512xf32>
  // CHECK: weft.log
  // CHECK-NEXT: weft.abs
  // CHECK-NEXT: weft.reciprocal
  // CHECK-NEXT: weft.floor
  // CHECK-NEXT: weft.ceil
  // CHECK-NEXT: weft.sin
  // CHECK-NEXT: weft.cos
  %l = weft.log %s : tensor<8x512xf32>
  %a = weft.abs %l : tensor<8x512xf32>
  %r = weft.reciprocal %a : tensor<8x512xf32>
  %f = weft.floor %r : tensor<8x512xf32>
  %c = weft.ceil %f : tensor<8x512xf32>
  %si = weft.sin %c : tensor<8x512xf32>
  %11 = weft.cos %si : tensor<8x512xf32>
  // CHECK: weft.reshape %{{.*}} : tensor<8x512xf32> -> tensor<4096xf32>
  %12 = weft.reshape %11 : tensor<8x512xf32> -> tensor<4096xf32>
  %13 = weft.reshape %12 : tensor<4096xf32> -> tensor<8x512xf32>
  return %13 : tensor<8x512xf32>
}

// CHECK-LABEL: func.func @kernel
func.func @kernel(%a: tensor<64x32xf16>, %b: tensor<32x16xf16>, %c: tensor<16xf16>) -> tensor<64x16xf16> {
  // CHECK: weft.kernel @gemm_bias_relu(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<64x32xf16>, tensor<32x16xf16>, tensor<16xf16>) -> tensor<64x16xf16> {
  // CHECK-NEXT: ^bb0(%[[X:.*]]: tensor<64x32xf16>, %[[Y:.*]]: tensor<32x16xf16>, %[[Z:.*]]: tensor<16xf16>):
  // CHECK: weft.yield %{{.*}} : tensor<64x16xf16>
  %r = weft.kernel @gemm_bias_relu(%a, %b, %c)
      : (tensor<64x32xf16>, tensor<32x16xf16>, tensor<16xf16>) -> tensor<64x16xf16> {
  ^bb0(%x: tensor<64x32xf16>, %y: tensor<32x16xf16>, %z: tensor<16xf16>):
    %0 = weft.matmul %x, %y : tensor<64x32xf16>, tensor<32x16xf16>
    %1 = weft.add %0, %z : tensor<64x16xf16>, tensor<16xf16>
    %2 = weft.relu %1 : tensor<64x16xf16>
    weft.yield %2 : tensor<64x16xf16>
  }
  return %r : tensor<64x16xf16>
}

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%a: tensor<2x4xf32>, %b: tensor<3x4xf32>,
                         %x: tensor<20x10xf32>, %ids: tensor<2x3xi64>,
                         %c: tensor<2x1xi1>, %e: tensor<f32>)
    -> (tensor<5x4xf32>, tensor<20x3xf32>, tensor<20x2x3xf32>,
        tensor<2x4xf32>, tensor<2x4xf16>, tensor<2x4xf32>) {
  // CHECK: weft.concat %{{.*}}, %{{.*}} axis = 0 : tensor<2x4xf32>, tensor<3x4xf32>
  %0 = weft.concat %a, %b axis = 0 : tensor<2x4xf32>, tensor<3x4xf32>
  // CHECK: weft.slice %{{.*}} start [0, 9] size [20, 3] step [1, -2] : tensor<20x10xf32>
  %1 = weft.slice %x start [0, 9] size [20, 3] step [1, -2] : tensor<20x10xf32>
  // CHECK: weft.gather %{{.*}}, %{{.*}} axis = -1 : tensor<20x10xf32>, tensor<2x3xi64>
  %2 = weft.gather %x, %ids axis = -1 : tensor<20x10xf32>, tensor<2x3xi64>
  // CHECK: weft.where %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x1xi1>, tensor<2x4xf32>, tensor<f32>
  %3 = weft.where %c, %a, %e : tensor<2x1xi1>, tensor<2x4xf32>, tensor<f32>
  // CHECK: weft.cast %{{.*}} : tensor<2x4xf32> -> tensor<2x4xf16>
  %4 = weft.cast %a : tensor<2x4xf32> -> tensor<2x4xf16>
  // CHECK: weft.pow %{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<f32>
  %5 = weft.pow %a, %e : tensor<2x4xf32>, tensor<f32>
  return %0, %1, %2, %3, %4, %5 : tensor<5x4xf32>, tensor<20x3xf32>, tensor<20x2x3xf32>,
      tensor<2x4xf32>, tensor<2x4xf16>, tensor<2x4xf32>
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<3x2x2xf32>, %i: tensor<3x2xi32>)
    -> (tensor<3x1x2xf32>, tensor<2xf32>, tensor<3xi32>) {
  // CHECK: weft.reduce_mean %{{.*}} axes [1] keepdims : tensor<3x2x2xf32>
  %0 = weft.reduce_mean %x axes [1] keepdims : tensor<3x2x2xf32>
  // CHECK: weft.reduce_sum %{{.*}} axes [0, -1] : tensor<3x2x2xf32>
  %1 = weft.reduce_sum %x axes [0, -1] : tensor<3x2x2xf32>
  // CHECK: weft.reduce_max %{{.*}} axes [1] : tensor<3x2xi32>
  %2 = weft.reduce_max %i axes [1] : tensor<3x2xi32>
  return %0, %1, %2 : tensor<3x1x2xf32>, tensor<2xf32>, tensor<3xi32>
}

// CHECK-LABEL: func.func @min_round_reductions
func.func @min_round_reductions(%x: tensor<3x2xf32>, %i: tensor<3x2xui8>, %j: tensor<2xui8>)
    -> (tensor<3x2xui8>, tensor<3x2xf32>, tensor<1x2xf32>, tensor<3xui8>) {
  // CHECK: weft.min %{{.*}}, %{{.*}} : tensor<3x2xui8>, tensor<2xui8>
  %0 = weft.min %i, %j : tensor<3x2xui8>, tensor<2xui8>
  // CHECK: weft.round %{{.*}} : tensor<3x2xf32>
  %1 = weft.round %x : tensor<3x2xf32>
  // CHECK: weft.reduce_min %{{.*}} axes [0] keepdims : tensor<3x2xf32>
  %2 = weft.reduce_min %x axes [0] keepdims : tensor<3x2xf32>
  // CHECK: weft.reduce_prod %{{.*}} axes [-1] : tensor<3x2xui8>
  %3 = weft.reduce_prod %i axes [-1] : tensor<3x2xui8>
  return %0, %1, %2, %3 : tensor<3x2xui8>, tensor<3x2xf32>, tensor<1x2xf32>, tensor<3xui8>
}

// CHECK-LABEL: func.func @logic_and_indices
func.func @logic_and_indices(%x: tensor<3x4xf32>, %y: tensor<4xf32>, %b: tensor<3x4xi1>, %i: tensor<3x1xi64>)
    -> (tensor<3x4xi1>, tensor<3x4xi1>, tensor<3x1xi64>, tensor<4xi64>, tensor<3x1xf32>) {
  // CHECK: weft.compare lt %{{.*}}, %{{.*}} : tensor<3x4xf32>, tensor<4xf32>
  %0 = weft.compare lt %x, %y : tensor<3x4xf32>, tensor<4xf32>
  // CHECK: weft.and
  %1 = weft.and %0, %b : tensor<3x4xi1>, tensor<3x4xi1>
  // CHECK: weft.or
  %2 = weft.or %1, %b : tensor<3x4xi1>, tensor<3x4xi1>
  // CHECK: weft.xor
  %3 = weft.xor %2, %b : tensor<3x4xi1>, tensor<3x4xi1>
  // CHECK: weft.not %{{.*}} : tensor<3x4xi1>
  %4 = weft.not %3 : tensor<3x4xi1>
  // CHECK: weft.arg_max %{{.*}} axis = 1 keepdims select_last_index : tensor<3x4xf32>
  %5 = weft.arg_max %x axis = 1 keepdims select_last_index : tensor<3x4xf32>
  // CHECK: weft.arg_min %{{.*}} axis = -2 : tensor<3x4xf32>
  %6 = weft.arg_min %x axis = -2 : tensor<3x4xf32>
  // CHECK: weft.gather_elements %{{.*}}, %{{.*}} axis = 1 : tensor<3x4xf32>, tensor<3x1xi64>
  %7 = weft.gather_elements %x, %i axis = 1 : tensor<3x4xf32>, tensor<3x1xi64>
  return %0, %4, %5, %6, %7 : tensor<3x4xi1>, tensor<3x4xi1>, tensor<3x1xi64>, tensor<4xi64>, tensor<3x1xf32>
}
