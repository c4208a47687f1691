func.func @empty() {
  pipe.warp_specialize {
  }
  return
}
