func.func @broadcast_dims(%a: tensor<16xf32>) {
  %0 = tile.broadcast %a [2] : tensor<16xf32> -> tensor<16x16xf32>
  return
}
