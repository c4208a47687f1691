func.func @where_element_types(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xf16>) {
  %0 = weft.where %c, %a, %b : tensor<4xi1>, tensor<4xf32>, tensor<4xf16>
  return
}
