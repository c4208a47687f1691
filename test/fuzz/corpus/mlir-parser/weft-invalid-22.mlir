func.func @dequantize_axis(%w: tensor<64x8xi4>, %s: tensor<2x8xf16>) {
  %0 = weft.dequantize %w, %s axis = 2 block_size = 32 : tensor<64x8xi4>, tensor<2x8xf16>
  return
}
