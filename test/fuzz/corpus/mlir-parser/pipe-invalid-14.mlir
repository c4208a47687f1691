func.func @put_type(%c: !pipe.channel<tensor<4xf32>, depth = 1, shared>, %v: tensor<8xf32>) {
  "pipe.put"(%v, %c) : (tensor<8xf32>, !pipe.channel<tensor<4xf32>, depth = 1, shared>) -> ()
  return
}
