func.func @layer_norm_result(%x: tensor<8x16xf32>, %g: tensor<16xf32>) {
  %0 = weft.layer_norm %x, %g axis = -1 epsilon = 1.0e-5 : tensor<8x16xf32>, tensor<16xf32> -> tensor<16x8xf32>
  return
}
