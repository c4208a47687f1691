func.func @layer_norm_epsilon(%x: tensor<8x16xf32>, %g: tensor<16xf32>) {
  %0 = weft.layer_norm %x, %g axis = -1 epsilon = -1.0 : tensor<8x16xf32>, tensor<16xf32> -> tensor<8x16xf32>
  return
}
