func.func @rms_norm_bias(%x: tensor<8x16xf32>, %g: tensor<16xf32>) {
  %0 = weft.layer_norm %x, %g, %g axis = -1 epsilon = 1.0e-5 rms : tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32> -> tensor<8x16xf32>
  return
}
