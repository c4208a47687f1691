func.func @dequantize_scale_blocks(%w: tensor<64x8xi4>, %s: tensor<3x8xf16>) {
  %0 = weft.dequantize %w, %s axis = 0 block_size = 32 : tensor<64x8xi4>, tensor<3x8xf16>
  return
}
