func.func @broadcast_rank(%a: tensor<16xf32>) {
  %0 = tile.broadcast %a [0, 1] : tensor<16xf32> -> tensor<16x16xf32>
  return
}
