func.func @reshape_count(%a: tensor<2x3xf32>) {
  %0 = weft.reshape %a : tensor<2x3xf32> -> tensor<8xf32>
  return
}
