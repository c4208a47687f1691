func.func @masks(%q: tensor<4x8xf32>, %k: tensor<4x8xf32>, %v: tensor<4x8xf32>,
                 %pad: tensor<1x4xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %kt = weft.transpose %k [1, 0] : tensor<4x8xf32>
  %s0 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %m0 = weft.add %s0, %pad : tensor<4x4xf32>, tensor<1x4xf32>
  %p0 = weft.softmax %m0 axis = 1 : tensor<4x4xf32>
  %o0 = weft.matmul %p0, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %upper = arith.constant dense<[[0.0, 0.0, 0.0, 0.0],
                                 [0xFF800000, 0.0, 0.0, 0.0],
                                 [0xFF800000, 0xFF800000, 0.0, 0.0],
                                 [0xFF800000, 0xFF800000, 0xFF800000, 0.0]]> : tensor<4x4xf32>
  %s1 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %m1 = weft.add %s1, %upper : tensor<4x4xf32>, tensor<4x4xf32>
  %p1 = weft.softmax %m1 axis = 1 : tensor<4x4xf32>
  %o1 = weft.matmul %p1, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %zero = arith.constant dense<0.0> : tensor<4x4xf32>
  %s2 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %m2 = weft.add %s2, %zero : tensor<4x4xf32>, tensor<4x4xf32>
  %p2 = weft.softmax %m2 axis = 1 : tensor<4x4xf32>
  %o2 = weft.matmul %p2, %v : tensor<4x4xf32>, tensor<4x8xf32>
  return %o0, %o1, %o2 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}
