func.func @reduce_empty(%x: tensor<4xf32>) {
  %0 = weft.reduce_sum %x axes [] : tensor<4xf32>
  return
}
