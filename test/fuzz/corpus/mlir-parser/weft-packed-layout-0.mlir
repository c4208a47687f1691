func.func @layouts(
    %a: tensor<2x64xi8, #weft.packed<[32, 8], i4, tiles = [#weft.tile<[16, 8], col_major>]>>,
    %b: tensor<1x8xi8, #weft.packed<[4, 4], ui4, tiles = [#weft.tile<[2, 2], row_major>, #weft.tile<[2, 2], permuted [0, 2, 1, 3]>] grid = col_major interleave = [0, 2, 1, 3] sub_byte = high_first>>,
    %c: tensor<48xi8, #weft.packed<[5, 7], i8, tiles = [#weft.tile<[3, 4], row_major>] grid = row_major sub_byte = low_first>>,
    %d: tensor<4xi8, #weft.packed<[4, 4], i2, tiles = [#weft.tile<[4, 4], row_major>]>>) {
  return
}

func.func @packed_qmatmul(%x: tensor<2x32xf16>,
    %w: tensor<2x64xi8, #weft.packed<[32, 8], i4, tiles = [#weft.tile<[16, 8], col_major>]>>,
    %s: tensor<2x8xf16>) -> tensor<2x8xf16> {
  %0 = weft.qmatmul %x, %w, %s block_size = 16 : tensor<2x32xf16>, tensor<2x64xi8, #weft.packed<[32, 8], i4, tiles = [#weft.tile<[16, 8], col_major>]>>, tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}
