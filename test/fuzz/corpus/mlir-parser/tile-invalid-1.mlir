func.func @load_offsets(%a: memref<?x?xf16>, %i: index) {
  %0 = tile.load %a[%i] : memref<?x?xf16> -> tensor<64x64xf16>
  return
}
