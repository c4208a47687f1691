func.func @i3(%x: tensor<1x32xf16>, %s: tensor<1x4xf16>) -> tensor<1x4xf16> {
  %w = arith.constant dense<1> : tensor<32x4xi3>
  %0 = weft.qmatmul %x, %w, %s block_size = 32 : tensor<1x32xf16>, tensor<32x4xi3>, tensor<1x4xf16>
  return %0 : tensor<1x4xf16>
}
