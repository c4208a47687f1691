func.func @attention_mask(%q: tensor<8x4xf32>, %m: tensor<3x8xf32>) {
  %0 = weft.attention %q, %q, %q mask(%m : tensor<3x8xf32>) scale = 1.0 : tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>
  return
}
