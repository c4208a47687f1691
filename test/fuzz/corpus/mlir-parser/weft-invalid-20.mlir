func.func @attention_types(%q: tensor<8x4xf32>, %k: tensor<8x4xf16>) {
  %0 = weft.attention %q, %k, %k scale = 1.0 : tensor<8x4xf32>, tensor<8x4xf16>, tensor<8x4xf16>
  return
}
