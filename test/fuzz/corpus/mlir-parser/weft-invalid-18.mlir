func.func @attention_head_dim(%q: tensor<8x4xf32>, %k: tensor<8x5xf32>) {
  %0 = weft.attention %q, %k, %k scale = 1.0 : tensor<8x4xf32>, tensor<8x5xf32>, tensor<8x5xf32>
  return
}
