func.func @attention_seq(%q: tensor<8x4xf32>, %k: tensor<8x4xf32>, %v: tensor<9x4xf32>) {
  %0 = weft.attention %q, %k, %v scale = 1.0 : tensor<8x4xf32>, tensor<8x4xf32>, tensor<9x4xf32>
  return
}
