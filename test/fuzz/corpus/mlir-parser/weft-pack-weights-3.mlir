func.func @already_packed(%x: tensor<1x16xf16>, %w: tensor<1x64xi8, #weft.packed<[16, 8], i4, tiles = [#weft.tile<[16, 8], row_major>]>>, %s: tensor<1x8xf16>) -> tensor<1x8xf16> {
  %0 = weft.qmatmul %x, %w, %s block_size = 16 : tensor<1x16xf16>, tensor<1x64xi8, #weft.packed<[16, 8], i4, tiles = [#weft.tile<[16, 8], row_major>]>>, tensor<1x8xf16>
  return %0 : tensor<1x8xf16>
}
