func.func @kernel_isolated(%a: tensor<4xf32>) {
  %0 = weft.kernel @k() : () -> tensor<4xf32> {
    %1 = weft.relu %a : tensor<4xf32>
    weft.yield %1 : tensor<4xf32>
  }
  return
}
