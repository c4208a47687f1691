func.func @reduce_twice(%x: tensor<4x4xf32>) {
  %0 = weft.reduce_mean %x axes [1, -1] : tensor<4x4xf32>
  return
}
