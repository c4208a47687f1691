func.func @escaping(%x: tensor<64x32xf16>, %w: tensor<32x16xf16>, %b: tensor<16xf16>)
    -> (tensor<64x16xf16>, tensor<64x16xf16>, tensor<64x16xf16>, tensor<64x16xf16>) {
  %0 = weft.matmul %x, %w : tensor<64x32xf16>, tensor<32x16xf16>
  %1 = weft.add %0, %b : tensor<64x16xf16>, tensor<16xf16>
  %2 = weft.relu %1 : tensor<64x16xf16>
  %3 = weft.matmul %x, %w : tensor<64x32xf16>, tensor<32x16xf16>
  %4 = weft.relu %3 : tensor<64x16xf16>
  return %1, %2, %3, %4 : tensor<64x16xf16>, tensor<64x16xf16>, tensor<64x16xf16>, tensor<64x16xf16>
}
