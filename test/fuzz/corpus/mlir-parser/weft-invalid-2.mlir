func.func @matmul_rank(%a: tensor<4xf32>, %b: tensor<4x8xf32>) {
  %0 = weft.matmul %a, %b : tensor<4xf32>, tensor<4x8xf32>
  return
}
