func.func @dequantize_zero_point_shape(%w: tensor<64x8xi4>, %s: tensor<2x8xf16>, %z: tensor<2x4xi4>) {
  %0 = weft.dequantize %w, %s, %z axis = 0 block_size = 32 : tensor<64x8xi4>, tensor<2x8xf16>, tensor<2x4xi4>
  return
}
