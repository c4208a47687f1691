func.func @reshape_type(%a: tensor<2x3xf32>) {
  %0 = weft.reshape %a : tensor<2x3xf32> -> tensor<6xf16>
  return
}
