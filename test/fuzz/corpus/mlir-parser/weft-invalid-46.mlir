func.func @slice_step(%x: tensor<4xf32>) {
  %0 = weft.slice %x start [0] size [2] step [0] : tensor<4xf32>
  return
}
