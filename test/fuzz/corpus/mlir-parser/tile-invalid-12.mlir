func.func @dot_narrow_acc(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<16x8xf16>) {
  %0 = tile.dot %a, %b, %c : tensor<16x32xf32>, tensor<32x8xf32> -> tensor<16x8xf16>
  return
}
