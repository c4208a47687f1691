func.func @matmul_batch(%a: tensor<2x4x5xf32>, %b: tensor<3x5x8xf32>) {
  %0 = weft.matmul %a, %b : tensor<2x4x5xf32>, tensor<3x5x8xf32>
  return
}
