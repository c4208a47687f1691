func.func @dot_transposed_k(%a: tensor<16x32xf16>, %b: tensor<32x8xf16>, %c: tensor<16x32xf32>) {
  %0 = tile.dot %a, %b, %c transpose_rhs : tensor<16x32xf16>, tensor<32x8xf16> -> tensor<16x32xf32>
  return
}
