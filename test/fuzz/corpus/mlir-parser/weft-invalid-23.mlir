func.func @dequantize_block(%w: tensor<64x8xi4>, %s: tensor<2x8xf16>) {
  %0 = weft.dequantize %w, %s axis = 0 block_size = -1 : tensor<64x8xi4>, tensor<2x8xf16>
  return
}
