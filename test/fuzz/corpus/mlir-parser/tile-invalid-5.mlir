func.func @store_rank(%t: tensor<64xf16>, %a: memref<?x?xf16>, %i: index) {
  tile.store %t, %a[%i, %i] : tensor<64xf16>, memref<?x?xf16>
  return
}
