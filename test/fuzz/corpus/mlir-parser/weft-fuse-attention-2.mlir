func.func @prescaled_rectangular_causal(%q: tensor<2x2x8xf16>, %k: tensor<2x3x8xf16>,
                                        %v: tensor<2x3x8xf16>) -> tensor<2x2x8xf16> {
  %c = arith.constant dense<0.5> : tensor<f16>
  %qs = weft.mul %c, %q : tensor<f16>, tensor<2x2x8xf16>
  %kt = weft.transpose %k [0, 2, 1] : tensor<2x3x8xf16>
  %s = weft.matmul %qs, %kt : tensor<2x2x8xf16>, tensor<2x8x3xf16>
  %ss = weft.mul %s, %c : tensor<2x2x3xf16>, tensor<f16>
  %m = arith.constant dense<[[0.0, 0.0, 0xFBFF], [0.0, 0.0, 0.0]]> : tensor<2x3xf16>
  %sm = weft.add %m, %ss : tensor<2x3xf16>, tensor<2x2x3xf16>
  %p = weft.softmax %sm axis = -1 : tensor<2x2x3xf16>
  %o = weft.matmul %p, %v : tensor<2x2x3xf16>, tensor<2x3x8xf16>
  return %o : tensor<2x2x8xf16>
}
