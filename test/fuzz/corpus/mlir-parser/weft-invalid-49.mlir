func.func @gather_scalar(%x: tensor<f32>, %i: tensor<2xi64>) {
  %0 = weft.gather %x, %i axis = 0 : tensor<f32>, tensor<2xi64>
  return
}
