func.func @prologues(%x: tensor<64x32xf32>, %w: tensor<16x32xf32>, %s: tensor<32xf32>)
    -> (tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x32xf32>, tensor<64x16xf32>, tensor<64x32xf32>) {
  %0 = weft.mul %x, %s : tensor<64x32xf32>, tensor<32xf32>
  %wt0 = weft.transpose %w [1, 0] : tensor<16x32xf32>
  %1 = weft.matmul %0, %wt0 : tensor<64x32xf32>, tensor<32x16xf32>
  %2 = weft.exp %x : tensor<64x32xf32>
  %wt1 = weft.transpose %w [1, 0] : tensor<16x32xf32>
  %3 = weft.matmul %2, %wt1 : tensor<64x32xf32>, tensor<32x16xf32>
  %4 = weft.exp %x : tensor<64x32xf32>
  %5 = weft.softmax %4 axis = 1 : tensor<64x32xf32>
  %6 = weft.neg %x : tensor<64x32xf32>
  %wt2 = weft.transpose %w [1, 0] : tensor<16x32xf32>
  %7 = weft.matmul %6, %wt2 : tensor<64x32xf32>, tensor<32x16xf32>
  return %1, %3, %5, %7, %6 : tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x32xf32>, tensor<64x16xf32>, tensor<64x32xf32>
}
