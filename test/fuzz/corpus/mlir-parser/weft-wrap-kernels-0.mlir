func.func @main(%a: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = weft.add %a, %b : tensor<4x8xf32>, tensor<8xf32>
  %1 = weft.relu %0 : tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}
