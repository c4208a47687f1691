// RUN: weft-opt %s -split-input-file -verify-diagnostics

// Every malformed combination of quantized element types, at both levels.

func.func @float_input_zero_point(%w: tensor<64x8xf8E4M3FN>, %s: tensor<2x8xf16>, %z: tensor<2x8xf8E4M3FN>) {
  // expected-error @+1 {{a zero point needs an integer input, got 'f8E4M3FN'}}
  %0 = weft.dequantize %w, %s, %z axis = 0 block_size = 32 : tensor<64x8xf8E4M3FN>, tensor<2x8xf16>, tensor<2x8xf8E4M3FN>
  return
}

// -----

func.func @f16_input(%w: tensor<64x8xf16>, %s: tensor<2x8xf16>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of}}
  %0 = weft.dequantize %w, %s axis = 0 block_size = 32 : tensor<64x8xf16>, tensor<2x8xf16>
  return
}

// -----

func.func @fp8_scale(%w: tensor<64x8xi4>, %s: tensor<2x8xf8E5M2>) {
  // expected-error @+1 {{scale element type must be f16, bf16, f32, f64 or a block-scale type (f8E8M0FNU, f8E4M3FN), got 'f8E5M2'}}
  %0 = weft.dequantize %w, %s axis = 0 block_size = 32 : tensor<64x8xi4>, tensor<2x8xf8E5M2>
  return
}

// -----

func.func @mx_block_size(%w: tensor<64x8xf4E2M1FN>, %s: tensor<4x8xf8E8M0FNU>) {
  // expected-error @+1 {{'f8E8M0FNU' block scales need block_size 32, got 16}}
  %0 = weft.dequantize %w, %s axis = 0 block_size = 16 : tensor<64x8xf4E2M1FN>, tensor<4x8xf8E8M0FNU>
  return
}

// -----

func.func @mx_int4(%w: tensor<64x8xi4>, %s: tensor<2x8xf8E8M0FNU>) {
  // expected-error @+1 {{'f8E8M0FNU' block scales need an fp8, fp4 or 8-bit integer input, got 'i4'}}
  %0 = weft.dequantize %w, %s axis = 0 block_size = 32 : tensor<64x8xi4>, tensor<2x8xf8E8M0FNU>
  return
}

// -----

func.func @mx_zero_point(%w: tensor<64x8xi8>, %s: tensor<2x8xf8E8M0FNU>, %z: tensor<2x8xi8>) {
  // expected-error @+1 {{'f8E8M0FNU' block scales take no zero point}}
  %0 = weft.dequantize %w, %s, %z axis = 0 block_size = 32 : tensor<64x8xi8>, tensor<2x8xf8E8M0FNU>, tensor<2x8xi8>
  return
}

// -----

func.func @nvfp4_fp8_input(%w: tensor<64x8xf8E4M3FN>, %s: tensor<4x8xf8E4M3FN>) {
  // expected-error @+1 {{'f8E4M3FN' block scales need an f4E2M1FN input, got 'f8E4M3FN'}}
  %0 = weft.dequantize %w, %s axis = 0 block_size = 16 : tensor<64x8xf8E4M3FN>, tensor<4x8xf8E4M3FN>
  return
}

// -----

func.func @nvfp4_block_size(%w: tensor<64x8xf4E2M1FN>, %s: tensor<2x8xf8E4M3FN>) {
  // expected-error @+1 {{'f8E4M3FN' block scales need block_size 16, got 32}}
  %0 = weft.dequantize %w, %s axis = 0 block_size = 32 : tensor<64x8xf4E2M1FN>, tensor<2x8xf8E4M3FN>
  return
}

// -----

func.func @qmatmul_fp8_zero_point(%x: tensor<4x64xf16>, %w: tensor<64x8xf8E5M2>, %s: tensor<1x8xf16>, %z: tensor<1x8xf8E5M2>) {
  // expected-error @+1 {{a zero point needs an integer input, got 'f8E5M2'}}
  %0 = weft.qmatmul %x, %w, %s, %z block_size = 0 : tensor<4x64xf16>, tensor<64x8xf8E5M2>, tensor<1x8xf16>, tensor<1x8xf8E5M2>
  return
}

// -----

func.func @qmatmul_mx_scale(%x: tensor<4x64xf16>, %w: tensor<64x8xf4E2M1FN>, %s: tensor<2x8xf8E8M0FNU>) {
  // expected-error @+1 {{scale element type must match the lhs element type}}
  %0 = weft.qmatmul %x, %w, %s block_size = 32 : tensor<4x64xf16>, tensor<64x8xf4E2M1FN>, tensor<2x8xf8E8M0FNU>
  return
}

// -----

func.func @tile_float_input_zero_point(%w: tensor<32x8xf4E2M1FN>, %s: tensor<1x8xf16>, %z: tensor<1x8xf4E2M1FN>) {
  // expected-error @+1 {{a zero point needs an integer input, got 'f4E2M1FN'}}
  %0 = tile.dequant %w, %s, %z axis = 0 block_size = 32 : tensor<32x8xf4E2M1FN>, tensor<1x8xf16>, tensor<1x8xf4E2M1FN> -> tensor<32x8xf16>
  return
}

// -----

func.func @tile_result_type(%w: tensor<32x8xf8E4M3FN>, %s: tensor<1x8xf16>) {
  // expected-error @+1 {{result element type must be the element type of 'f16' scales, got 'f32'}}
  %0 = tile.dequant %w, %s axis = 0 block_size = 32 : tensor<32x8xf8E4M3FN>, tensor<1x8xf16> -> tensor<32x8xf32>
  return
}

// -----

func.func @tile_block_scale_result(%w: tensor<32x8xf4E2M1FN>, %s: tensor<1x8xf8E8M0FNU>) {
  // expected-error @+1 {{result element type must be f16, bf16 or f32 with 'f8E8M0FNU' scales, got 'f8E4M3FN'}}
  %0 = tile.dequant %w, %s axis = 0 block_size = 32 : tensor<32x8xf4E2M1FN>, tensor<1x8xf8E8M0FNU> -> tensor<32x8xf8E4M3FN>
  return
}

// -----

func.func @tile_mx_block(%w: tensor<32x8xf8E5M2>, %s: tensor<2x8xf8E8M0FNU>) {
  // expected-error @+1 {{'f8E8M0FNU' block scales need block_size 32, got 16}}
  %0 = tile.dequant %w, %s axis = 0 block_size = 16 : tensor<32x8xf8E5M2>, tensor<2x8xf8E8M0FNU> -> tensor<32x8xf32>
  return
}

// -----

func.func @tile_result_shape(%w: tensor<32x8xf8E5M2>, %s: tensor<1x8xf16>) {
  // expected-error @+1 {{result must have the input shape}}
  %0 = tile.dequant %w, %s axis = 0 block_size = 32 : tensor<32x8xf8E5M2>, tensor<1x8xf16> -> tensor<32x4xf16>
  return
}
