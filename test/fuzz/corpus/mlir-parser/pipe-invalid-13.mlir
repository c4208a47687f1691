func.func @depth(%c: !pipe.channel<tensor<4xf32>, depth = 0, shared>) {
  return
}
