func.func @not_attention(%q: tensor<4x8xf32>, %k: tensor<4x8xf32>, %v: tensor<4x8xf32>,
                         %scale: tensor<f32>, %m: tensor<4x4xf32>, %kt_arg: tensor<8x4xf32>,
                         %q2: tensor<2x4x8xf32>, %v2: tensor<2x4x8xf32>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<2x4x8xf32>) {
  %kt = weft.transpose %k [1, 0] : tensor<4x8xf32>
  %s0 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %p0 = weft.softmax %s0 axis = 0 : tensor<4x4xf32>
  %o0 = weft.matmul %p0, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %s1 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %t1 = weft.mul %s1, %scale : tensor<4x4xf32>, tensor<f32>
  %p1 = weft.softmax %t1 axis = 1 : tensor<4x4xf32>
  %o1 = weft.matmul %p1, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %c = arith.constant dense<0.5> : tensor<f32>
  %s2 = weft.matmul %q, %kt : tensor<4x8xf32>, tensor<8x4xf32>
  %m2 = weft.add %s2, %m : tensor<4x4xf32>, tensor<4x4xf32>
  %t2 = weft.mul %m2, %c : tensor<4x4xf32>, tensor<f32>
  %p2 = weft.softmax %t2 axis = 1 : tensor<4x4xf32>
  %o2 = weft.matmul %p2, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %s3 = weft.matmul %q, %kt_arg : tensor<4x8xf32>, tensor<8x4xf32>
  %p3 = weft.softmax %s3 axis = 1 : tensor<4x4xf32>
  %o3 = weft.matmul %p3, %v : tensor<4x4xf32>, tensor<4x8xf32>
  %s4 = weft.matmul %q2, %kt : tensor<2x4x8xf32>, tensor<8x4xf32>
  %p4 = weft.softmax %s4 axis = 2 : tensor<2x4x4xf32>
  %o4 = weft.matmul %p4, %v2 : tensor<2x4x4xf32>, tensor<2x4x8xf32>
  return %o0, %o1, %o2, %o3, %o4 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<2x4x8xf32>
}
