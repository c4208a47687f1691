func.func @shared_transpose(%x: tensor<64x32xf32>, %w: tensor<16x32xf32>)
    -> (tensor<64x16xf32>, tensor<64x16xf32>) {
  %wt = weft.transpose %w [1, 0] : tensor<16x32xf32>
  %0 = weft.matmul %x, %wt : tensor<64x32xf32>, tensor<32x16xf32>
  %1 = weft.matmul %x, %wt : tensor<64x32xf32>, tensor<32x16xf32>
  return %0, %1 : tensor<64x16xf32>, tensor<64x16xf32>
}
