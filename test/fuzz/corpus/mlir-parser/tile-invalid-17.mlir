func.func @broadcast_type(%a: tensor<16xf32>) {
  %0 = tile.broadcast %a [0] : tensor<16xf32> -> tensor<8x16xf16>
  return
}
