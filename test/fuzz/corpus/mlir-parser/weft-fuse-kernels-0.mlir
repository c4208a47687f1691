func.func @gemm_epilogue(%x: tensor<64x32xf16>, %w: tensor<32x16xf16>, %b: tensor<16xf16>,
                         %r: tensor<64x16xf16>) -> tensor<64x16xf16> {
  %c = arith.constant dense<0.5> : tensor<f16>
  %0 = weft.matmul %x, %w : tensor<64x32xf16>, tensor<32x16xf16>
  %1 = weft.add %0, %b : tensor<64x16xf16>, tensor<16xf16>
  %2 = weft.gelu %1 approximate = tanh : tensor<64x16xf16>
  %3 = weft.mul %2, %c : tensor<64x16xf16>, tensor<f16>
  %4 = weft.add %r, %3 : tensor<64x16xf16>, tensor<64x16xf16>
  return %4 : tensor<64x16xf16>
}
