func.func @gather_indices(%x: tensor<4xf32>, %i: tensor<2xf32>) {
  %0 = weft.gather %x, %i axis = 0 : tensor<4xf32>, tensor<2xf32>
  return
}
