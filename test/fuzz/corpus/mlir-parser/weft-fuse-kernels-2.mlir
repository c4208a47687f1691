func.func @two_roots(%x: tensor<64x32xf16>, %w: tensor<32x32xf16>, %b: tensor<32xf16>)
    -> (tensor<64x32xf16>, tensor<64x32xf16>) {
  %0 = weft.matmul %x, %w : tensor<64x32xf16>, tensor<32x32xf16>
  %1 = weft.add %0, %b : tensor<64x32xf16>, tensor<32xf16>
  %2 = weft.matmul %1, %w : tensor<64x32xf16>, tensor<32x32xf16>
  %3 = weft.matmul %x, %w : tensor<64x32xf16>, tensor<32x32xf16>
  %4 = weft.softmax %3 axis = -1 : tensor<64x32xf16>
  return %2, %4 : tensor<64x32xf16>, tensor<64x32xf16>
}
