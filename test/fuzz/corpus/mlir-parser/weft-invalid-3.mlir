func.func @matmul_contraction(%a: tensor<4x5xf32>, %b: tensor<6x8xf32>) {
  %0 = weft.matmul %a, %b : tensor<4x5xf32>, tensor<6x8xf32>
  return
}
