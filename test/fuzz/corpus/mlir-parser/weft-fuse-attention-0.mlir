func.func @exported_heads(%q: tensor<64x128xf16>, %k: tensor<64x128xf16>,
                          %v: tensor<64x128xf16>) -> tensor<4x64x32xf16> {
  %qs = weft.reshape %q : tensor<64x128xf16> -> tensor<64x4x32xf16>
  %qh = weft.transpose %qs [1, 0, 2] : tensor<64x4x32xf16>
  %ks = weft.reshape %k : tensor<64x128xf16> -> tensor<64x4x32xf16>
  %kt = weft.transpose %ks [1, 2, 0] : tensor<64x4x32xf16>
  %vs = weft.reshape %v : tensor<64x128xf16> -> tensor<64x4x32xf16>
  %vh = weft.transpose %vs [1, 0, 2] : tensor<64x4x32xf16>
  %s = weft.matmul %qh, %kt : tensor<4x64x32xf16>, tensor<4x32x64xf16>
  %c = arith.constant dense<1.767580e-01> : tensor<f16>
  %ss = weft.mul %s, %c : tensor<4x64x64xf16>, tensor<f16>
  %p = weft.softmax %ss axis = -1 : tensor<4x64x64xf16>
  %o = weft.matmul %p, %vh : tensor<4x64x64xf16>, tensor<4x64x32xf16>
  return %o : tensor<4x64x32xf16>
}
