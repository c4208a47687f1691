func.func @load_element_type(%a: memref<?x?xf16>, %i: index) {
  %0 = tile.load %a[%i, %i] : memref<?x?xf16> -> tensor<64x64xf32>
  return
}
