func.func @zero_warps() {
  pipe.warp_specialize {
    pipe.partition load warps = 0 {
    }
  }
  return
}
