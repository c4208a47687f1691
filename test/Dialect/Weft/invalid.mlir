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

// -----

func.func @pow_element_types(%a: tensor<4xf32>, %b: tensor<4xi32>) {
  // expected-error @+1 {{requires the same element type for all operands}}
  %0 = weft.pow %a, %b : tensor<4xf32>, tensor<4xi32>
  return
}

// -----

func.func @where_element_types(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{value element types differ: 'f32' vs 'f16'}}
  %0 = weft.where %c, %a, %b : tensor<4xi1>, tensor<4xf32>, tensor<4xf16>
  return
}

// -----

func.func @where_broadcast(%c: tensor<3xi1>, %a: tensor<4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operand shapes do not broadcast}}
  %0 = weft.where %c, %a, %b : tensor<3xi1>, tensor<4xf32>, tensor<4xf32>
  return
}

// -----

func.func @where_condition(%c: tensor<4xf32>, %a: tensor<4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = weft.where %c, %a, %b : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  return
}

// -----

func.func @cast_shape(%a: tensor<4xf32>) {
  // expected-error @+1 {{shape changes from 'tensor<4xf32>' to 'tensor<5xf16>'}}
  %0 = weft.cast %a : tensor<4xf32> -> tensor<5xf16>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+1 {{expected 1 or more operands, but found 0}}
  %0 = "weft.concat"() {axis = 0 : i64} : () -> tensor<4xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<4xf32>) {
  // expected-error @+1 {{axis 1 is out of range for rank 1}}
  %0 = weft.concat %a, %a axis = 1 : tensor<4xf32>, tensor<4xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<4xf32>, %b: tensor<1x4xf32>) {
  // expected-error @+1 {{input #1 has rank 2, expected 1}}
  %0 = weft.concat %a, %b axis = 0 : tensor<4xf32>, tensor<1x4xf32>
  return
}

// -----

func.func @concat_dims(%a: tensor<2x4xf32>, %b: tensor<2x5xf32>) {
  // expected-error @+1 {{input #1 has size 5 in dimension 1, expected 4}}
  %0 = weft.concat %a, %b axis = 0 : tensor<2x4xf32>, tensor<2x5xf32>
  return
}

// -----

func.func @concat_element_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{requires the same element type for all operands}}
  %0 = weft.concat %a, %b axis = 0 : tensor<4xf32>, tensor<4xf16>
  return
}

// -----

func.func @slice_entries(%x: tensor<4x4xf32>) {
  // expected-error @+1 {{start, size and step need one entry per dimension (rank 2)}}
  %0 = weft.slice %x start [0] size [2] step [1] : tensor<4x4xf32>
  return
}

// -----

func.func @slice_step(%x: tensor<4xf32>) {
  // expected-error @+1 {{step of dimension 0 is 0}}
  %0 = weft.slice %x start [0] size [2] step [0] : tensor<4xf32>
  return
}

// -----

func.func @slice_size(%x: tensor<4xf32>) {
  // expected-error @+1 {{size of dimension 0 is negative}}
  %0 = weft.slice %x start [0] size [-1] step [1] : tensor<4xf32>
  return
}

// -----

func.func @slice_bounds(%x: tensor<4xf32>) {
  // expected-error @+1 {{dimension 0 reads indices 1 to 5, outside [0, 4)}}
  %0 = weft.slice %x start [1] size [3] step [2] : tensor<4xf32>
  return
}

// -----

func.func @gather_scalar(%x: tensor<f32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{gather data must have rank >= 1}}
  %0 = weft.gather %x, %i axis = 0 : tensor<f32>, tensor<2xi64>
  return
}

// -----

func.func @gather_axis(%x: tensor<4xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{axis -2 is out of range for rank 1}}
  %0 = weft.gather %x, %i axis = -2 : tensor<4xf32>, tensor<2xi64>
  return
}

// -----

func.func @gather_indices(%x: tensor<4xf32>, %i: tensor<2xf32>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = weft.gather %x, %i axis = 0 : tensor<4xf32>, tensor<2xf32>
  return
}

// -----

func.func @reduce_empty(%x: tensor<4xf32>) {
  // expected-error @+1 {{axes must not be empty}}
  %0 = weft.reduce_sum %x axes [] : tensor<4xf32>
  return
}

// -----

func.func @reduce_axis(%x: tensor<4xf32>) {
  // expected-error @+1 {{axis 1 is out of range for rank 1}}
  %0 = weft.reduce_max %x axes [1] : tensor<4xf32>
  return
}

// -----

func.func @reduce_twice(%x: tensor<4x4xf32>) {
  // expected-error @+1 {{axis -1 is reduced twice}}
  %0 = weft.reduce_mean %x axes [1, -1] : tensor<4x4xf32>
  return
}

// -----

func.func @reduce_mean_int(%x: tensor<4xi32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values}}
  %0 = weft.reduce_mean %x axes [0] : tensor<4xi32>
  return
}

// -----

func.func @min_no_broadcast(%a: tensor<4x8xi32>, %b: tensor<3xi32>) {
  // expected-error @+1 {{operand shapes do not broadcast}}
  %0 = weft.min %a, %b : tensor<4x8xi32>, tensor<3xi32>
  return
}

// -----

func.func @round_integer(%a: tensor<4xi32>) {
  // expected-error @+1 {{must be ranked tensor of floating-point values}}
  %0 = weft.round %a : tensor<4xi32>
  return
}

// -----

func.func @reduce_min_axis(%x: tensor<4xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 1}}
  %0 = weft.reduce_min %x axes [2] : tensor<4xf32>
  return
}

// -----

func.func @reduce_prod_twice(%x: tensor<4x4xi32>) {
  // expected-error @+1 {{axis -2 is reduced twice}}
  %0 = weft.reduce_prod %x axes [0, -2] : tensor<4x4xi32>
  return
}

// -----

func.func @compare_types(%a: tensor<4xf32>, %b: tensor<4xi32>) {
  // expected-error @+1 {{requires the same element type for all operands}}
  %0 = weft.compare eq %a, %b : tensor<4xf32>, tensor<4xi32>
  return
}

// -----

func.func @arg_max_axis(%x: tensor<4xf32>) {
  // expected-error @+1 {{axis 1 is out of range for rank 1}}
  %0 = weft.arg_max %x axis = 1 : tensor<4xf32>
  return
}

// -----

func.func @not_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{must be ranked tensor of 1-bit signless integer values}}
  %0 = weft.not %x : tensor<4xf32>
  return
}

// -----

func.func @gather_elements_rank(%x: tensor<4x3xf32>, %i: tensor<4xi64>) {
  // expected-error @+1 {{indices must have the rank of data (2), got 1}}
  %0 = weft.gather_elements %x, %i axis = 0 : tensor<4x3xf32>, tensor<4xi64>
  return
}
