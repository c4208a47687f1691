func.func @symmetric_per_column(%x: tensor<16x128xf32>, %w: tensor<128x32xui8>,
                                %s: tensor<1x32xf32>) -> tensor<16x32xf32> {
  %wf = weft.dequantize %w, %s axis = -2 block_size = 0
          : tensor<128x32xui8>, tensor<1x32xf32>
  %0 = weft.matmul %x, %wf : tensor<16x128xf32>, tensor<128x32xf32>
  return %0 : tensor<16x32xf32>
}
