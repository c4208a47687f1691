func.func @qmatmul_other_encoding(%x: tensor<2x32xf16>, %w: tensor<32x8xi4, "other">, %s: tensor<2x8xf16>) {
  %0 = weft.qmatmul %x, %w, %s block_size = 16 : tensor<2x32xf16>, tensor<32x8xi4, "other">, tensor<2x8xf16>
  return
}
