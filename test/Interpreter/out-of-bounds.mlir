// Unmasked tile accesses must lie inside the memref; masked ones read zeros
// and drop writes outside it.
// RUN: not weft-run --interpret %s --entry=load_oob --arg-sizes=100x64 2>&1 | FileCheck %s --check-prefix=LOAD
// RUN: not weft-run --interpret %s --entry=store_oob --arg-sizes=100x64 --scalars=-1 2>&1 | FileCheck %s --check-prefix=STORE
// RUN: weft-run --interpret %s --entry=masked --arg-sizes=3,3 --fill=ones --print-values | FileCheck %s --check-prefix=MASKED

// LOAD: [[@LINE+5]]:8: error: out-of-bounds read: tile 64x64 at offsets [64, 0] of a memref of shape 100x64 (tile element [36, 0] is at [100, 0]); mark the access `masked` if the tail is intended
func.func @load_oob(%a: memref<?x64xf32>) {
  %c0 = arith.constant 0 : index
  %pid = tile.program_id x
  %c64 = arith.constant 64 : index
  %t = tile.load %a[%c64, %c0] : memref<?x64xf32> -> tensor<64x64xf32>
  return
}

// STORE: [[@LINE+4]]:3: error: out-of-bounds write: tile 16x64 at offsets [-1, 0] of a memref of shape 100x64 (tile element [0, 0] is at [-1, 0])
func.func @store_oob(%a: memref<?x64xf32>, %row: index) {
  %c0 = arith.constant 0 : index
  %t = arith.constant dense<1.0> : tensor<16x64xf32>
  tile.store %t, %a[%row, %c0] : tensor<16x64xf32>, memref<?x64xf32>
  return
}

// Load [1, 4) of a 3-element buffer (the tail reads 0), add 1, store it back
// at 1 (the element past the end is dropped).
// MASKED: arg0 memref<?xf32> [3]
// MASKED-NEXT: 1 1 1
// MASKED: arg1 memref<?xf32> [3]
// MASKED-NEXT: 1 2 2
func.func @masked(%a: memref<?xf32>, %b: memref<?xf32>) {
  %c1 = arith.constant 1 : index
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %t = tile.load %a[%c1] masked : memref<?xf32> -> tensor<4xf32>
  %u = arith.addf %t, %one : tensor<4xf32>
  tile.store %u, %b[%c1] masked : tensor<4xf32>, memref<?xf32>
  return
}
