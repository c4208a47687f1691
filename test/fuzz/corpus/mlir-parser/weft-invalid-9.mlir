func.func @softmax_axis(%a: tensor<2x3xf32>) {
  %0 = weft.softmax %a axis = 2 : tensor<2x3xf32>
  return
}
