func.func @load_dynamic_tile(%a: memref<?xf16>, %i: index) {
  %0 = tile.load %a[%i] : memref<?xf16> -> tensor<?xf16>
  return
}
