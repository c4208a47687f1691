func.func @concat_dims(%a: tensor<2x4xf32>, %b: tensor<2x5xf32>) {
  %0 = weft.concat %a, %b axis = 0 : tensor<2x4xf32>, tensor<2x5xf32>
  return
}
