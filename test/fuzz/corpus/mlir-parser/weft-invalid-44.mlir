func.func @concat_element_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  %0 = weft.concat %a, %b axis = 0 : tensor<4xf32>, tensor<4xf16>
  return
}
