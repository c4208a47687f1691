func.func @no_consumer(%c: !pipe.channel<tensor<4xf32>, depth = 1, shared, consumers = 0>) {
  return
}
