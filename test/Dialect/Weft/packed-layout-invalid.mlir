// RUN: weft-opt %s -split-input-file -verify-diagnostics

// One test per way a #weft.tile / #weft.packed / packed storage is malformed.

// expected-error @+1 {{tile shape must have 2 entries [rows, cols], got 3}}
func.func private @tile_rank() attributes {layout = #weft.tile<[2, 2, 2], row_major>}

// -----

// expected-error @+1 {{tile shape [0, 2] must be positive}}
func.func private @tile_empty() attributes {layout = #weft.tile<[0, 2], row_major>}

// -----

// expected-error @+1 {{only a `permuted` tile takes a permutation}}
func.func private @perm_on_row_major() attributes {layout = #weft.tile<[2, 2], row_major [0, 1, 2, 3]>}

// -----

// expected-error @+1 {{permutation of a [2, 2] tile must hold each of 0 .. 3 exactly once}}
func.func private @perm_missing() attributes {layout = #weft.tile<[2, 2], permuted>}

// -----

// expected-error @+1 {{permutation of a [2, 2] tile must hold each of 0 .. 3 exactly once}}
func.func private @perm_duplicate() attributes {layout = #weft.tile<[2, 2], permuted [0, 1, 1, 3]>}

// -----

// expected-error @+1 {{permutation of a [2, 2] tile must hold each of 0 .. 3 exactly once}}
func.func private @perm_out_of_range() attributes {layout = #weft.tile<[2, 2], permuted [0, 1, 2, 4]>}

// -----

// expected-error @+1 {{logical shape must be 2-D [K, N], got rank 1}}
func.func private @logical_rank(tensor<8xi8, #weft.packed<[16], i4, tiles = [#weft.tile<[2, 2], row_major>]>>)

// -----

// expected-error @+1 {{logical shape [0, 4] must be positive}}
func.func private @logical_empty(tensor<8xi8, #weft.packed<[0, 4], i4, tiles = [#weft.tile<[2, 2], row_major>]>>)

// -----

// expected-error @+1 {{element bit width 3 is not supported (2, 4 or 8)}}
func.func private @bit_width(tensor<8xi8, #weft.packed<[4, 4], i3, tiles = [#weft.tile<[8, 8], row_major>]>>)

// -----

// expected-error @+1 {{logical element type must be signless or unsigned}}
func.func private @signed_type(tensor<8xi8, #weft.packed<[4, 4], si4, tiles = [#weft.tile<[2, 2], row_major>]>>)

// -----

// expected-error @+1 {{grid order must be row_major or col_major}}
func.func private @grid_permuted(tensor<8xi8, #weft.packed<[4, 4], i4, tiles = [#weft.tile<[2, 2], row_major>] grid = permuted>>)

// -----

// expected-error @+1 {{a [1, 1] tile of 4-bit elements is not a whole number of bytes}}
func.func private @sub_byte_tile(tensor<8xi8, #weft.packed<[4, 4], i4, tiles = [#weft.tile<[1, 1], row_major>]>>)

// -----

// expected-error @+1 {{interleave must hold each of 0 .. 2 exactly once}}
func.func private @interleave_not_perm(tensor<8xi8, #weft.packed<[4, 4], i4, tiles = [#weft.tile<[2, 2], row_major>] interleave = [0, 2, 2]>>)

// -----

// expected-error @+1 {{interleave group of 3 does not divide the tile size 4}}
func.func private @interleave_size(tensor<8xi8, #weft.packed<[4, 4], i4, tiles = [#weft.tile<[2, 2], row_major>] interleave = [0, 2, 1]>>)

// -----

// expected-error @+1 {{packed storage must have element type i8, got 'i32'}}
func.func private @storage_type(tensor<2xi32, #weft.packed<[4, 4], i4, tiles = [#weft.tile<[2, 2], row_major>]>>)

// -----

// expected-error @+1 {{packed storage must have a static shape}}
func.func private @storage_dynamic(tensor<?xi8, #weft.packed<[4, 4], i4, tiles = [#weft.tile<[2, 2], row_major>]>>)

// -----

// 5 x 5 of i4 in 2 x 2 tiles pads to 3 x 3 tiles of 2 bytes.
// expected-error @+1 {{packed storage holds 16 bytes but the layout needs 18}}
func.func private @storage_size(tensor<16xi8, #weft.packed<[5, 5], i4, tiles = [#weft.tile<[2, 2], row_major>]>>)

// -----

func.func @qmatmul_other_encoding(%x: tensor<2x32xf16>, %w: tensor<32x8xi4, "other">, %s: tensor<2x8xf16>) {
  // expected-error @+1 {{weight encoding must be #weft.packed}}
  %0 = weft.qmatmul %x, %w, %s block_size = 16 : tensor<2x32xf16>, tensor<32x8xi4, "other">, tensor<2x8xf16>
  return
}

// -----

func.func @qmatmul_packed_k_mismatch(%x: tensor<2x16xf16>, %w: tensor<2x64xi8, #weft.packed<[32, 8], i4, tiles = [#weft.tile<[16, 8], col_major>]>>, %s: tensor<2x8xf16>) {
  // expected-error @+1 {{}}
  %0 = weft.qmatmul %x, %w, %s block_size = 16 : tensor<2x16xf16>, tensor<2x64xi8, #weft.packed<[32, 8], i4, tiles = [#weft.tile<[16, 8], col_major>]>>, tensor<2x8xf16>
  return
}
