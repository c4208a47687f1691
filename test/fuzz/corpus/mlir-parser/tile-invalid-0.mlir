func.func @load_rank(%a: memref<?x?xf16>, %i: index) {
  %0 = tile.load %a[%i, %i] : memref<?x?xf16> -> tensor<64xf16>
  return
}
