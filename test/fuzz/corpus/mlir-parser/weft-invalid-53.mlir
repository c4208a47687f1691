func.func @reduce_axis(%x: tensor<4xf32>) {
  %0 = weft.reduce_max %x axes [1] : tensor<4xf32>
  return
}
