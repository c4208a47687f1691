func.func @no_broadcast(%a: tensor<4x8xf32>, %b: tensor<3xf32>) {
  %0 = weft.add %a, %b : tensor<4x8xf32>, tensor<3xf32>
  return
}
