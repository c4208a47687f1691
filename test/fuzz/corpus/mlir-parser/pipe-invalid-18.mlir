func.func @orphan_partition() {
  pipe.partition load warps = 1 {
  }
  return
}
