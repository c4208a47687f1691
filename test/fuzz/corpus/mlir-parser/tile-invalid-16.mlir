func.func @broadcast_size(%a: tensor<16xf32>) {
  %0 = tile.broadcast %a [0] : tensor<16xf32> -> tensor<16x8xf32>
  return
}
