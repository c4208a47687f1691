func.func @reduce_mean_int(%x: tensor<4xi32>) {
  %0 = weft.reduce_mean %x axes [0] : tensor<4xi32>
  return
}
