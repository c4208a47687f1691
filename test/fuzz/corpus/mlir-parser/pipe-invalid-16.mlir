func.func @not_a_partition() {
  pipe.warp_specialize {
    %0 = arith.constant 0 : index
  }
  return
}
