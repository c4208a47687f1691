func.func @cast_shape(%a: tensor<4xf32>) {
  %0 = weft.cast %a : tensor<4xf32> -> tensor<5xf16>
  return
}
