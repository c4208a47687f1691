func.func @slice_bounds(%x: tensor<4xf32>) {
  %0 = weft.slice %x start [1] size [3] step [2] : tensor<4xf32>
  return
}
