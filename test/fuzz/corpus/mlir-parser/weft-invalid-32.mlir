func.func @kernel_argument_type(%a: tensor<4xf32>) {
  %0 = weft.kernel @k(%a) : (tensor<4xf32>) -> tensor<4xf16> {
  ^bb0(%x: tensor<4xf16>):
    weft.yield %x : tensor<4xf16>
  }
  return
}
