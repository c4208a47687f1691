func.func @layer_norm_scale_shape(%x: tensor<8x16xf32>, %g: tensor<8xf32>) {
  %0 = weft.layer_norm %x, %g axis = -1 epsilon = 1.0e-5 : tensor<8x16xf32>, tensor<8xf32> -> tensor<8x16xf32>
  return
}
