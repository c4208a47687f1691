// A tiled GEMM (f16 operands, f32 accumulator) on a 2x2 grid of 64x64 output
// tiles whose K loop ends in a masked tail (K = 80, step 32), checked against
// numpy on the inputs weft-run generated.
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-run --interpret %s --entry=gemm --grid=2,2 \
// RUN:   --arg-sizes=128x80,80x128,128x128 --scalars=80 --seed=7 \
// RUN:   --save-inputs=%t/in --save-outputs=%t/out | FileCheck %s
// RUN: %python %S/Inputs/reference.py gemm %t/in %t/out --atol 1e-4 --rtol 1e-4 \
// RUN:   | FileCheck %s --check-prefix=NUMPY

// CHECK: weft-run: @gemm grid 2x2x1: ok
// CHECK: arg2 memref<?x?xf32> [128x128]: min
// NUMPY: arg2: max abs err
// NUMPY: numpy check: PASS

func.func @gemm(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>,
                %k: index) {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %px = tile.program_id x
  %py = tile.program_id y
  %m = arith.muli %px, %c64 : index
  %n = arith.muli %py, %c64 : index
  %zero = arith.constant dense<0.0> : tensor<64x64xf32>
  %acc = scf.for %kk = %c0 to %k step %c32 iter_args(%acc_it = %zero) -> tensor<64x64xf32> {
    %at = tile.load %a[%m, %kk] masked : memref<?x?xf16> -> tensor<64x32xf16>
    %bt = tile.load %b[%kk, %n] masked : memref<?x?xf16> -> tensor<32x64xf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<64x32xf16>, tensor<32x64xf16> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  tile.store %acc, %c[%m, %n] : tensor<64x64xf32>, memref<?x?xf32>
  return
}
