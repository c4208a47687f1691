func.func @concat_axis(%a: tensor<4xf32>) {
  %0 = weft.concat %a, %a axis = 1 : tensor<4xf32>, tensor<4xf32>
  return
}
