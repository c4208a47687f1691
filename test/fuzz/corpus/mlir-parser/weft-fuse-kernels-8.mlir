func.func @attention_heads(%q: tensor<64x128xf16>, %k: tensor<4x64x32xf16>, %v: tensor<4x64x32xf16>,
                           %wo: tensor<128x128xf16>) -> tensor<64x128xf16> {
  %qs = weft.reshape %q : tensor<64x128xf16> -> tensor<64x4x32xf16>
  %qh = weft.transpose %qs [1, 0, 2] : tensor<64x4x32xf16>
  %a = weft.attention %qh, %k, %v scale = 0.125 : tensor<4x64x32xf16>, tensor<4x64x32xf16>, tensor<4x64x32xf16>
  %at = weft.transpose %a [1, 0, 2] : tensor<4x64x32xf16>
  %am = weft.reshape %at : tensor<64x4x32xf16> -> tensor<64x128xf16>
  %o = weft.matmul %am, %wo : tensor<64x128xf16>, tensor<128x128xf16>
  return %o : tensor<64x128xf16>
}
