func.func @dequantize_scale_rank(%w: tensor<64x8xi4>, %s: tensor<8xf16>) {
  %0 = weft.dequantize %w, %s axis = 0 block_size = 32 : tensor<64x8xi4>, tensor<8xf16>
  return
}
