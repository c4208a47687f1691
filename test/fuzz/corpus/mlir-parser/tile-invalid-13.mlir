func.func @reduce_axis(%a: tensor<16x32xf32>) {
  %0 = tile.reduce sum %a axis = 2 : tensor<16x32xf32>
  return
}
