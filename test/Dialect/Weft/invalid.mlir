// RUN: weft-opt %s -split-input-file -verify-diagnostics

func.func @no_broadcast(%a: tensor<4x8xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{operand shapes do not broadcast}}
  %0 = weft.add %a, %b : tensor<4x8xf32>, tensor<3xf32>
  return
}

// -----

func.func @binary_element_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{requires the same element type for all operands}}
  %0 = weft.mul %a, %b : tensor<4xf32>, tensor<4xf16>
  return
}

// -----

func.func @matmul_rank(%a: tensor<4xf32>, %b: tensor<4x8xf32>) {
  // expected-error @+1 {{matmul operands must have rank >= 2}}
  %0 = weft.matmul %a, %b : tensor<4xf32>, tensor<4x8xf32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<4x5xf32>, %b: tensor<6x8xf32>) {
  // expected-error @+1 {{contraction dimensions differ: lhs has 5, rhs has 6}}
  %0 = weft.matmul %a, %b : tensor<4x5xf32>, tensor<6x8xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x4x5xf32>, %b: tensor<3x5x8xf32>) {
  // expected-error @+1 {{batch dimensions do not broadcast}}
  %0 = weft.matmul %a, %b : tensor<2x4x5xf32>, tensor<3x5x8xf32>
  return
}

// -----

func.func @transpose_length(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation has 3 entries for rank 2}}
  %0 = weft.transpose %a [0, 1, 2] : tensor<2x3xf32>
  return
}

// -----

func.func @transpose_not_permutation(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{permutation is not a permutation of [0, 2)}}
  %0 = weft.transpose %a [1, 1] : tensor<2x3xf32>
  return
}

// -----

func.func @reshape_count(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{element count changes from 6 to 8}}
  %0 = weft.reshape %a : tensor<2x3xf32> -> tensor<8xf32>
  return
}

// -----

func.func @reshape_type(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{element type changes from 'f32' to 'f16'}}
  %0 = weft.reshape %a : tensor<2x3xf32> -> tensor<6xf16>
  return
}

// -----

func.func @softmax_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = weft.softmax %a axis = 2 : tensor<2x3xf32>
  return
}

// -----

func.func @layer_norm_axis(%x: tensor<8x16xf32>, %g: tensor<16xf32>) {
  // expected-error @+1 {{axis -3 is out of range for rank 2}}
  %0 = weft.layer_norm %x, %g axis = -3 epsilon = 1.0e-5 : tensor<8x16xf32>, tensor<16xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @layer_norm_scale_shape(%x: tensor<8x16xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{scale must have the normalized shape [16]}}
  %0 = weft.layer_norm %x, %g axis = -1 epsilon = 1.0e-5 : tensor<8x16xf32>, tensor<8xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @layer_norm_scale_type(%x: tensor<8x16xf32>, %g: tensor<16xf16>) {
  // expected-error @+1 {{scale element type must match the input}}
  %0 = weft.layer_norm %x, %g axis = -1 epsilon = 1.0e-5 : tensor<8x16xf32>, tensor<16xf16> -> tensor<8x16xf32>
  return
}

// -----

func.func @rms_norm_bias(%x: tensor<8x16xf32>, %g: tensor<16xf32>) {
  // expected-error @+1 {{RMS normalization takes no bias}}
  %0 = weft.layer_norm %x, %g, %g axis = -1 epsilon = 1.0e-5 rms : tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @layer_norm_epsilon(%x: tensor<8x16xf32>, %g: tensor<16xf32>) {
  // expected-error @+1 {{epsilon must be non-negative}}
  %0 = weft.layer_norm %x, %g axis = -1 epsilon = -1.0 : tensor<8x16xf32>, tensor<16xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @layer_norm_result(%x: tensor<8x16xf32>, %g: tensor<16xf32>) {
  // expected-error @+1 {{result type must equal the input type}}
  %0 = weft.layer_norm %x, %g axis = -1 epsilon = 1.0e-5 : tensor<8x16xf32>, tensor<16xf32> -> tensor<16x8xf32>
  return
}

// -----

func.func @attention_rank(%q: tensor<2x8x4xf32>, %k: tensor<8x4xf32>) {
  // expected-error @+1 {{query, key and value must have the same rank >= 2}}
  %0 = weft.attention %q, %k, %k scale = 1.0 : tensor<2x8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>
  return
}

// -----

func.func @attention_batch(%q: tensor<2x8x4xf32>, %k: tensor<3x8x4xf32>) {
  // expected-error @+1 {{leading dimensions of query, key and value must match}}
  %0 = weft.attention %q, %k, %k scale = 1.0 : tensor<2x8x4xf32>, tensor<3x8x4xf32>, tensor<3x8x4xf32>
  return
}

// -----

func.func @attention_head_dim(%q: tensor<8x4xf32>, %k: tensor<8x5xf32>) {
  // expected-error @+1 {{query and key head dimensions differ}}
  %0 = weft.attention %q, %k, %k scale = 1.0 : tensor<8x4xf32>, tensor<8x5xf32>, tensor<8x5xf32>
  return
}

// -----

func.func @attention_seq(%q: tensor<8x4xf32>, %k: tensor<8x4xf32>, %v: tensor<9x4xf32>) {
  // expected-error @+1 {{key and value sequence lengths differ}}
  %0 = weft.attention %q, %k, %v scale = 1.0 : tensor<8x4xf32>, tensor<8x4xf32>, tensor<9x4xf32>
  return
}

// -----

func.func @attention_types(%q: tensor<8x4xf32>, %k: tensor<8x4xf16>) {
  // expected-error @+1 {{query, key and value element types differ}}
  %0 = weft.attention %q, %k, %k scale = 1.0 : tensor<8x4xf32>, tensor<8x4xf16>, tensor<8x4xf16>
  return
}

// -----

func.func @attention_mask(%q: tensor<8x4xf32>, %m: tensor<3x8xf32>) {
  // expected-error @+1 {{mask does not broadcast to the score shape}}
  %0 = weft.attention %q, %q, %q mask(%m : tensor<3x8xf32>) scale = 1.0 : tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>
  return
}

// -----

func.func @dequantize_axis(%w: tensor<64x8xi4>, %s: tensor<2x8xf16>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = weft.dequantize %w, %s axis = 2 block_size = 32 : tensor<64x8xi4>, tensor<2x8xf16>
  return
}

// -----

func.func @dequantize_block(%w: tensor<64x8xi4>, %s: tensor<2x8xf16>) {
  // expected-error @+1 {{block_size must be non-negative, got -1}}
  %0 = weft.dequantize %w, %s axis = 0 block_size = -1 : tensor<64x8xi4>, tensor<2x8xf16>
  return
}

// -----

func.func @dequantize_scale_rank(%w: tensor<64x8xi4>, %s: tensor<8xf16>) {
  // expected-error @+1 {{scale must have rank 2, got 1}}
  %0 = weft.dequantize %w, %s axis = 0 block_size = 32 : tensor<64x8xi4>, tensor<8xf16>
  return
}

// -----

func.func @dequantize_scale_blocks(%w: tensor<64x8xi4>, %s: tensor<3x8xf16>) {
  // expected-error @+1 {{scale dimension 0 must be 2 (block_size 32), got 3}}
  %0 = weft.dequantize %w, %s axis = 0 block_size = 32 : tensor<64x8xi4>, tensor<3x8xf16>
  return
}

// -----

func.func @dequantize_zero_point_shape(%w: tensor<64x8xi4>, %s: tensor<2x8xf16>, %z: tensor<2x4xi4>) {
  // expected-error @+1 {{zero_point must have the shape of scale}}
  %0 = weft.dequantize %w, %s, %z axis = 0 block_size = 32 : tensor<64x8xi4>, tensor<2x8xf16>, tensor<2x4xi4>
  return
}

// -----

func.func @dequantize_zero_point_type(%w: tensor<64x8xi4>, %s: tensor<2x8xf16>, %z: tensor<2x8xi8>) {
  // expected-error @+1 {{zero_point must have the element type of the input ('i4'), got 'i8'}}
  %0 = weft.dequantize %w, %s, %z axis = 0 block_size = 32 : tensor<64x8xi4>, tensor<2x8xf16>, tensor<2x8xi8>
  return
}

// -----

func.func @qmatmul_weight_rank(%x: tensor<4x64xf16>, %w: tensor<2x64x8xi4>, %s: tensor<2x64x8xf16>) {
  // expected-error @+1 {{qmatmul weight must be 2-D [K, N]}}
  %0 = weft.qmatmul %x, %w, %s block_size = 32 : tensor<4x64xf16>, tensor<2x64x8xi4>, tensor<2x64x8xf16>
  return
}

// -----

func.func @qmatmul_scale_type(%x: tensor<4x64xf16>, %w: tensor<64x8xi4>, %s: tensor<2x8xf32>) {
  // expected-error @+1 {{scale element type must match the lhs element type}}
  %0 = weft.qmatmul %x, %w, %s block_size = 32 : tensor<4x64xf16>, tensor<64x8xi4>, tensor<2x8xf32>
  return
}

// -----

func.func @qmatmul_scale_blocks(%x: tensor<4x64xf16>, %w: tensor<64x8xi4>, %s: tensor<4x8xf16>) {
  // expected-error @+1 {{scale dimension 0 must be 2 (block_size 32), got 4}}
  %0 = weft.qmatmul %x, %w, %s block_size = 32 : tensor<4x64xf16>, tensor<64x8xi4>, tensor<4x8xf16>
  return
}

// -----

func.func @kernel_arguments(%a: tensor<4xf32>) {
  // expected-error @+1 {{body has 2 arguments for 1 inputs}}
  %0 = weft.kernel @k(%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>, %y: tensor<4xf32>):
    weft.yield %x : tensor<4xf32>
  }
  return
}

// -----

func.func @kernel_argument_type(%a: tensor<4xf32>) {
  // expected-error @+1 {{body argument #0 has type 'tensor<4xf16>' but input has type 'tensor<4xf32>'}}
  %0 = weft.kernel @k(%a) : (tensor<4xf32>) -> tensor<4xf16> {
  ^bb0(%x: tensor<4xf16>):
    weft.yield %x : tensor<4xf16>
  }
  return
}

// -----

func.func @kernel_yield(%a: tensor<4xf32>) {
  %0 = weft.kernel @k(%a) : (tensor<4xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<4xf32>):
    // expected-error @+1 {{yields ('tensor<4xf32>') but the kernel returns ('tensor<8xf32>')}}
    weft.yield %x : tensor<4xf32>
  }
  return
}

// -----

func.func @kernel_isolated(%a: tensor<4xf32>) {
  // expected-note @+1 {{required by region isolation constraints}}
  %0 = weft.kernel @k() : () -> tensor<4xf32> {
    // expected-error @+1 {{using value defined outside the region}}
    %1 = weft.relu %a : tensor<4xf32>
    weft.yield %1 : tensor<4xf32>
  }
  return
}
