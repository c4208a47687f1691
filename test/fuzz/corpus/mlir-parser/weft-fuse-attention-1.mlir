func.func @causal_div(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>,
                      %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %kt = weft.transpose %k [0, 1, 3, 2] : tensor<1x2x4x8xf32>
  %s = weft.matmul %q, %kt : tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>
  %c = arith.constant dense<8.0> : tensor<1xf32>
  %ss = weft.div %s, %c : tensor<1x2x4x4xf32>, tensor<1xf32>
  %m = arith.constant dense<[[0.0, 0xFF800000, 0xFF800000, 0xFF800000],
                             [0.0, 0.0, 0xFF800000, 0xFF800000],
                             [0.0, 0.0, 0.0, 0xFF800000],
                             [0.0, 0.0, 0.0, 0.0]]> : tensor<4x4xf32>
  %sm = weft.add %ss, %m : tensor<1x2x4x4xf32>, tensor<4x4xf32>
  %p = weft.softmax %sm axis = 3 : tensor<1x2x4x4xf32>
  %o = weft.matmul %p, %v : tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}
