func.func @gather_axis(%x: tensor<4xf32>, %i: tensor<2xi64>) {
  %0 = weft.gather %x, %i axis = -2 : tensor<4xf32>, tensor<2xi64>
  return
}
