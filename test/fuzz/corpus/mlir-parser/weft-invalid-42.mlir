func.func @concat_rank(%a: tensor<4xf32>, %b: tensor<1x4xf32>) {
  %0 = weft.concat %a, %b axis = 0 : tensor<4xf32>, tensor<1x4xf32>
  return
}
