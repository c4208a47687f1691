func.func @not_fused(%x: tensor<16x256xf16>, %w: tensor<256x64xi4>, %s: tensor<8x64xf16>,
                     %a: tensor<64x16xi8>, %as: tensor<2x16xf16>,
                     %sn: tensor<256x2xf16>, %w3: tensor<2x256x64xi4>, %s3: tensor<2x8x64xf16>)
    -> (tensor<16x64xf16>, tensor<256x64xf16>, tensor<64x256xf16>, tensor<16x64xf16>, tensor<2x16x64xf16>) {
  %wf = weft.dequantize %w, %s axis = 0 block_size = 32
          : tensor<256x64xi4>, tensor<8x64xf16>
  %0 = weft.matmul %x, %wf : tensor<16x256xf16>, tensor<256x64xf16>
  %af = weft.dequantize %a, %as axis = 0 block_size = 32
          : tensor<64x16xi8>, tensor<2x16xf16>
  %1 = weft.matmul %af, %x : tensor<64x16xf16>, tensor<16x256xf16>
  %wn = weft.dequantize %w, %sn axis = 1 block_size = 32
          : tensor<256x64xi4>, tensor<256x2xf16>
  %2 = weft.matmul %x, %wn : tensor<16x256xf16>, tensor<256x64xf16>
  %w3f = weft.dequantize %w3, %s3 axis = 1 block_size = 32
          : tensor<2x256x64xi4>, tensor<2x8x64xf16>
  %3 = weft.matmul %x, %w3f : tensor<16x256xf16>, tensor<2x256x64xf16>
  return %0, %wf, %1, %2, %3
      : tensor<16x64xf16>, tensor<256x64xf16>, tensor<64x256xf16>, tensor<16x64xf16>, tensor<2x16x64xf16>
}
