func.func @existing(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %c = arith.constant dense<2.0> : tensor<4xf32>
  %0 = weft.kernel @existing_relu_3(%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %1 = weft.relu %a : tensor<4xf32>
    %2 = weft.exp %1 : tensor<4xf32>
    weft.yield %2 : tensor<4xf32>
  }
  %3 = weft.exp %0 : tensor<4xf32>
  %4 = weft.mul %3, %c : tensor<4xf32>, tensor<4xf32>
  return %4, %c : tensor<4xf32>, tensor<4xf32>
}
