func.func @transpose_length(%a: tensor<2x3xf32>) {
  %0 = weft.transpose %a [0, 1, 2] : tensor<2x3xf32>
  return
}
