func.func @slice_size(%x: tensor<4xf32>) {
  %0 = weft.slice %x start [0] size [-1] step [1] : tensor<4xf32>
  return
}
