func.func @binary_element_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  %0 = weft.mul %a, %b : tensor<4xf32>, tensor<4xf16>
  return
}
