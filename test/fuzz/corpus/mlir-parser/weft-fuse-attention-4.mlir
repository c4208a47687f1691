func.func @intermediates_escape(%q: tensor<4x8xf32>, %k: tensor<4x8xf32>, %v: tensor<4x8xf32>)
    -> (tensor<4x8xf32>, tensor<4x4xf32>, tensor<4x8xf32>, tensor<4x4xf32>, tensor<4x8xf32>, tensor<4x4xf32>) {
  %kt = weft.transpose %k [1, 0] : tensor<4x8xf32>
  %c = arith.constant dense<0.5> : tensor<f32>
  %s0 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %t0 = weft.mul %s0, %c : tensor<4x4xf32>, tensor<f32>
  %p0 = weft.softmax %t0 axis = 1 : tensor<4x4xf32>
  %o0 = weft.matmul %p0, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %s1 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %t1 = weft.mul %s1, %c : tensor<4x4xf32>, tensor<f32>
  %p1 = weft.softmax %t1 axis = 1 : tensor<4x4xf32>
  %o1 = weft.matmul %p1, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %s2 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %p2 = weft.softmax %s2 axis = 1 : tensor<4x4xf32>
  %o2 = weft.matmul %p2, %v : tensor<4x4xf32>, tensor<4x8xf32>
  return %o0, %s0, %o1, %t1, %o2, %p2
      : tensor<4x8xf32>, tensor<4x4xf32>, tensor<4x8xf32>, tensor<4x4xf32>, tensor<4x8xf32>, tensor<4x4xf32>
}
