func.func @kernel_yield(%a: tensor<4xf32>) {
  %0 = weft.kernel @k(%a) : (tensor<4xf32>) -> tensor<8xf32> {
  ^bb0(%x: tensor<4xf32>):
    weft.yield %x : tensor<4xf32>
  }
  return
}
