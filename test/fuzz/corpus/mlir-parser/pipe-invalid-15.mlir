func.func @get_type(%c: !pipe.channel<tensor<4xf32>, depth = 1, shared>) {
  %0 = "pipe.get"(%c) : (!pipe.channel<tensor<4xf32>, depth = 1, shared>) -> tensor<8xf32>
  return
}
