func.func @qmatmul_scale_type(%x: tensor<4x64xf16>, %w: tensor<64x8xi4>, %s: tensor<2x8xf32>) {
  %0 = weft.qmatmul %x, %w, %s block_size = 32 : tensor<4x64xf16>, tensor<64x8xi4>, tensor<2x8xf32>
  return
}
