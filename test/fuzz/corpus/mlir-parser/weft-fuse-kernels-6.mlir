func.func @norm(%x: tensor<8x16xf32>, %y: tensor<8x16xf32>, %g: tensor<16xf32>) -> tensor<8x16xf32> {
  %0 = weft.add %x, %y : tensor<8x16xf32>, tensor<8x16xf32>
  %1 = weft.layer_norm %0, %g axis = -1 epsilon = 1.0e-05 rms : tensor<8x16xf32>, tensor<16xf32> -> tensor<8x16xf32>
  %2 = weft.mul %1, %g : tensor<8x16xf32>, tensor<16xf32>
  return %2 : tensor<8x16xf32>
}
