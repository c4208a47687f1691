func.func @fused(%a: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant dense<1.0> : tensor<4xf32>
  %0 = weft.kernel @already(%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>):
    %1 = weft.relu %x : tensor<4xf32>
    %2 = weft.exp %1 : tensor<4xf32>
    weft.yield %2 : tensor<4xf32>
  }
  %3 = weft.mul %0, %c : tensor<4xf32>, tensor<4xf32>
  return %3 : tensor<4xf32>
}
