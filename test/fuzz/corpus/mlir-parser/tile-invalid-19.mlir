func.func @dequant_blocks(%w: tensor<64x8xi4>, %s: tensor<1x8xf16>) {
  %0 = tile.dequant %w, %s axis = 0 block_size = 32 : tensor<64x8xi4>, tensor<1x8xf16> -> tensor<64x8xf16>
  return
}
