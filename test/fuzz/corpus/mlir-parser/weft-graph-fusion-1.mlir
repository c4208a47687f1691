func.func @leftovers(%x: tensor<16x256xf16>, %w: tensor<256x64xi4>, %s: tensor<8x64xf16>,
                     %b: tensor<64xf16>) -> (tensor<16x64xf16>, tensor<256x64xf16>, tensor<256x64xf16>) {
  %wf = weft.dequantize %w, %s axis = 0 block_size = 32 : tensor<256x64xi4>, tensor<8x64xf16>
  %0 = weft.matmul %x, %wf : tensor<16x256xf16>, tensor<256x64xf16>
  %1 = weft.add %0, %b : tensor<16x64xf16>, tensor<64xf16>
  %2 = weft.relu %1 : tensor<16x64xf16>
  %3 = weft.neg %wf : tensor<256x64xf16>
  return %2, %wf, %3 : tensor<16x64xf16>, tensor<256x64xf16>, tensor<256x64xf16>
}
