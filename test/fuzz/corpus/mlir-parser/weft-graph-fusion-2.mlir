func.func @causal(%q: tensor<2x4x8xf32>, %k: tensor<2x4x8xf32>, %v: tensor<2x4x8xf32>) -> tensor<4x16xf32> {
  %kt = weft.transpose %k [0, 2, 1] : tensor<2x4x8xf32>
  %s = weft.matmul %q, %kt : tensor<2x4x8xf32>, tensor<2x8x4xf32>
  %c = arith.constant dense<0.353553385> : tensor<f32>
  %ss = weft.mul %s, %c : tensor<2x4x4xf32>, tensor<f32>
  %m = arith.constant dense<[[0.0, 0xFF800000, 0xFF800000, 0xFF800000],
                             [0.0, 0.0, 0xFF800000, 0xFF800000],
                             [0.0, 0.0, 0.0, 0xFF800000],
                             [0.0, 0.0, 0.0, 0.0]]> : tensor<4x4xf32>
  %sm = weft.add %ss, %m : tensor<2x4x4xf32>, tensor<4x4xf32>
  %p = weft.softmax %sm axis = -1 : tensor<2x4x4xf32>
  %o = weft.matmul %p, %v : tensor<2x4x4xf32>, tensor<2x4x8xf32>
  %t = weft.transpose %o [1, 0, 2] : tensor<2x4x8xf32>
  %r = weft.reshape %t : tensor<4x2x8xf32> -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}
