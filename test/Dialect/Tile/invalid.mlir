// RUN: weft-opt %s -split-input-file -verify-diagnostics

func.func @load_rank(%a: memref<?x?xf16>, %i: index) {
  // expected-error @+1 {{tile rank 1 differs from memref rank 2}}
  %0 = tile.load %a[%i, %i] : memref<?x?xf16> -> tensor<64xf16>
  return
}

// -----

func.func @load_offsets(%a: memref<?x?xf16>, %i: index) {
  // expected-error @+1 {{expects 2 offsets, got 1}}
  %0 = tile.load %a[%i] : memref<?x?xf16> -> tensor<64x64xf16>
  return
}

// -----

func.func @load_element_type(%a: memref<?x?xf16>, %i: index) {
  // expected-error @+1 {{tile element type 'f32' differs from memref element type 'f16'}}
  %0 = tile.load %a[%i, %i] : memref<?x?xf16> -> tensor<64x64xf32>
  return
}

// -----

func.func @load_too_big(%a: memref<32x64xf16>, %i: index) {
  // expected-error @+1 {{tile dimension 0 (64) exceeds the memref dimension (32); mark the access `masked`}}
  %0 = tile.load %a[%i, %i] : memref<32x64xf16> -> tensor<64x64xf16>
  return
}

// -----

func.func @load_dynamic_tile(%a: memref<?xf16>, %i: index) {
  // expected-error @+1 {{result #0 must be statically shaped tensor}}
  %0 = tile.load %a[%i] : memref<?xf16> -> tensor<?xf16>
  return
}

// -----

func.func @store_rank(%t: tensor<64xf16>, %a: memref<?x?xf16>, %i: index) {
  // expected-error @+1 {{tile rank 1 differs from memref rank 2}}
  tile.store %t, %a[%i, %i] : tensor<64xf16>, memref<?x?xf16>
  return
}

// -----

func.func @dot_rank(%a: tensor<4x4x4xf16>, %b: tensor<4x4xf16>, %c: tensor<4x4xf32>) {
  // expected-error @+1 {{operands must be 2-D tiles}}
  %0 = tile.dot %a, %b, %c : tensor<4x4x4xf16>, tensor<4x4xf16> -> tensor<4x4xf32>
  return
}

// -----

func.func @dot_k(%a: tensor<16x32xf16>, %b: tensor<16x8xf16>, %c: tensor<16x8xf32>) {
  // expected-error @+1 {{contraction sizes differ: lhs K = 32, rhs K = 16}}
  %0 = tile.dot %a, %b, %c : tensor<16x32xf16>, tensor<16x8xf16> -> tensor<16x8xf32>
  return
}

// -----

func.func @dot_transposed_k(%a: tensor<16x32xf16>, %b: tensor<32x8xf16>, %c: tensor<16x32xf32>) {
  // expected-error @+1 {{contraction sizes differ: lhs K = 32, rhs K = 8}}
  %0 = tile.dot %a, %b, %c transpose_rhs : tensor<16x32xf16>, tensor<32x8xf16> -> tensor<16x32xf32>
  return
}

// -----

func.func @dot_acc_shape(%a: tensor<16x32xf16>, %b: tensor<32x8xf16>, %c: tensor<16x16xf32>) {
  // expected-error @+1 {{accumulator must be 16x8, got 'tensor<16x16xf32>'}}
  %0 = tile.dot %a, %b, %c : tensor<16x32xf16>, tensor<32x8xf16> -> tensor<16x16xf32>
  return
}

// -----

func.func @dot_operand_types(%a: tensor<16x32xf16>, %b: tensor<32x8xbf16>, %c: tensor<16x8xf32>) {
  // expected-error @+1 {{lhs and rhs element types differ}}
  %0 = tile.dot %a, %b, %c : tensor<16x32xf16>, tensor<32x8xbf16> -> tensor<16x8xf32>
  return
}

// -----

func.func @dot_int_into_float(%a: tensor<16x32xi8>, %b: tensor<32x8xi8>, %c: tensor<16x8xf32>) {
  // expected-error @+1 {{cannot accumulate 'i8' products into 'f32'}}
  %0 = tile.dot %a, %b, %c : tensor<16x32xi8>, tensor<32x8xi8> -> tensor<16x8xf32>
  return
}

// -----

func.func @dot_narrow_acc(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<16x8xf16>) {
  // expected-error @+1 {{accumulator 'f16' is narrower than the operands ('f32')}}
  %0 = tile.dot %a, %b, %c : tensor<16x32xf32>, tensor<32x8xf32> -> tensor<16x8xf16>
  return
}

// -----

func.func @reduce_axis(%a: tensor<16x32xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = tile.reduce sum %a axis = 2 : tensor<16x32xf32>
  return
}

// -----

func.func @broadcast_rank(%a: tensor<16xf32>) {
  // expected-error @+1 {{result rank must be the input rank plus the number of added dimensions}}
  %0 = tile.broadcast %a [0, 1] : tensor<16xf32> -> tensor<16x16xf32>
  return
}

// -----

func.func @broadcast_dims(%a: tensor<16xf32>) {
  // expected-error @+1 {{dimensions must be increasing and within the result rank}}
  %0 = tile.broadcast %a [2] : tensor<16xf32> -> tensor<16x16xf32>
  return
}

// -----

func.func @broadcast_size(%a: tensor<16xf32>) {
  // expected-error @+1 {{input dimension 0 (16) does not match result dimension 1 (8)}}
  %0 = tile.broadcast %a [0] : tensor<16xf32> -> tensor<16x8xf32>
  return
}

// -----

func.func @broadcast_type(%a: tensor<16xf32>) {
  // expected-error @+1 {{element type must not change}}
  %0 = tile.broadcast %a [0] : tensor<16xf32> -> tensor<8x16xf16>
  return
}

// -----

func.func @dequant_result(%w: tensor<64x8xi4>, %s: tensor<2x8xf16>) {
  // expected-error @+1 {{result element type must be the element type of}}
  %0 = tile.dequant %w, %s axis = 0 block_size = 32 : tensor<64x8xi4>, tensor<2x8xf16> -> tensor<64x8xf32>
  return
}

// -----

func.func @dequant_blocks(%w: tensor<64x8xi4>, %s: tensor<1x8xf16>) {
  // expected-error @+1 {{scale dimension 0 must be 2 (block_size 32), got 1}}
  %0 = tile.dequant %w, %s axis = 0 block_size = 32 : tensor<64x8xi4>, tensor<1x8xf16> -> tensor<64x8xf16>
  return
}
