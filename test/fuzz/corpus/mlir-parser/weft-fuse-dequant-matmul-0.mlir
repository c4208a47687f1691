func.func @blockwise(%x: tensor<2x16x256xf16>, %w: tensor<256x64xi4>,
                     %s: tensor<8x64xf16>, %z: tensor<8x64xi4>) -> tensor<2x16x64xf16> {
  %wf = weft.dequantize %w, %s, %z axis = 0 block_size = 32
          : tensor<256x64xi4>, tensor<8x64xf16>, tensor<8x64xi4>
  %0 = weft.matmul %x, %wf : tensor<2x16x256xf16>, tensor<256x64xf16>
  return %0 : tensor<2x16x64xf16>
}
