func.func @batch_broadcast(%x: tensor<64x32xf16>, %w: tensor<32x16xf16>, %y: tensor<4x64x16xf16>)
    -> tensor<4x64x16xf16> {
  %0 = weft.matmul %x, %w : tensor<64x32xf16>, tensor<32x16xf16>
  %1 = weft.add %0, %y : tensor<64x16xf16>, tensor<4x64x16xf16>
  return %1 : tensor<4x64x16xf16>
}
