func.func @dequant_result(%w: tensor<64x8xi4>, %s: tensor<2x8xf16>) {
  %0 = tile.dequant %w, %s axis = 0 block_size = 32 : tensor<64x8xi4>, tensor<2x8xf16> -> tensor<64x8xf32>
  return
}
