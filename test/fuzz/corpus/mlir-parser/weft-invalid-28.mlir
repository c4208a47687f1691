func.func @qmatmul_weight_rank(%x: tensor<4x64xf16>, %w: tensor<2x64x8xi4>, %s: tensor<2x64x8xf16>) {
  %0 = weft.qmatmul %x, %w, %s block_size = 32 : tensor<4x64xf16>, tensor<2x64x8xi4>, tensor<2x64x8xf16>
  return
}
