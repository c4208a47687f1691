func.func @where_condition(%c: tensor<4xf32>, %a: tensor<4xf32>, %b: tensor<4xf32>) {
  %0 = weft.where %c, %a, %b : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  return
}
