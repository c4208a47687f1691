func.func @attention_batch(%q: tensor<2x8x4xf32>, %k: tensor<3x8x4xf32>) {
  %0 = weft.attention %q, %k, %k scale = 1.0 : tensor<2x8x4xf32>, tensor<3x8x4xf32>, tensor<3x8x4xf32>
  return
}
