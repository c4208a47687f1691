func.func @dot_rank(%a: tensor<4x4x4xf16>, %b: tensor<4x4xf16>, %c: tensor<4x4xf32>) {
  %0 = tile.dot %a, %b, %c : tensor<4x4x4xf16>, tensor<4x4xf16> -> tensor<4x4xf32>
  return
}
