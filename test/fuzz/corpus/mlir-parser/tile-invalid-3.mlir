func.func @load_too_big(%a: memref<32x64xf16>, %i: index) {
  %0 = tile.load %a[%i, %i] : memref<32x64xf16> -> tensor<64x64xf16>
  return
}
