func.func @kernel_arguments(%a: tensor<4xf32>) {
  %0 = weft.kernel @k(%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>, %y: tensor<4xf32>):
    weft.yield %x : tensor<4xf32>
  }
  return
}
