func.func @slice_entries(%x: tensor<4x4xf32>) {
  %0 = weft.slice %x start [0] size [2] step [1] : tensor<4x4xf32>
  return
}
