func.func @qmatmul_packed_k_mismatch(%x: tensor<2x16xf16>, %w: tensor<2x64xi8, #weft.packed<[32, 8], i4, tiles = [#weft.tile<[16, 8], col_major>]>>, %s: tensor<2x8xf16>) {
  %0 = weft.qmatmul %x, %w, %s block_size = 16 : tensor<2x16xf16>, tensor<2x64xi8, #weft.packed<[32, 8], i4, tiles = [#weft.tile<[16, 8], col_major>]>>, tensor<2x8xf16>
  return
}
