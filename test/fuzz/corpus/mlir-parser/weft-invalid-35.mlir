func.func @pow_element_types(%a: tensor<4xf32>, %b: tensor<4xi32>) {
  %0 = weft.pow %a, %b : tensor<4xf32>, tensor<4xi32>
  return
}
