func.func @argument_weight(%x: tensor<1x32xf16>, %w: tensor<32x4xi4>, %s: tensor<1x4xf16>) -> tensor<1x4xf16> {
  %0 = weft.qmatmul %x, %w, %s block_size = 32 : tensor<1x32xf16>, tensor<32x4xi4>, tensor<1x4xf16>
  return %0 : tensor<1x4xf16>
}
