func.func @attention_rank(%q: tensor<2x8x4xf32>, %k: tensor<8x4xf32>) {
  %0 = weft.attention %q, %k, %k scale = 1.0 : tensor<2x8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>
  return
}
