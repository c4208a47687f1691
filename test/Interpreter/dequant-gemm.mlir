// An int4 weight-only GEMM: the K loop loads 32 rows of int4 weights with
// their per-block f16 scales and int4 zero points, dequantizes them
// (tile.dequant, block_size 32 along K) and multiplies with f16 activations.
// Checked against numpy, and the warp-specialized program against this one.
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-run --interpret %s --arg-sizes=64x128,128x64,4x64,4x64,64x64 \
// RUN:   --scalars=128 --seed=3 --save-inputs=%t/in --save-outputs=%t/out \
// RUN:   | FileCheck %s
// RUN: %python %S/Inputs/reference.py dequant-gemm %t/in %t/out --atol 1e-3 --rtol 1e-4 \
// RUN:   | FileCheck %s --check-prefix=NUMPY
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize -o %t/ws90.mlir
// RUN: weft-run --interpret %t/ws90.mlir --arg-sizes=64x128,128x64,4x64,4x64,64x64 \
// RUN:   --scalars=128 --seed=3 --check-against=%s --atol=0 --rtol=0 | FileCheck %s --check-prefix=WS

// CHECK: weft-run: @qgemm grid 1x1x1: ok
// CHECK: arg1 memref<?x?xi4> [128x64]: min -8 max 7
// NUMPY: arg4: max abs err
// NUMPY: numpy check: PASS
// WS: check @qgemm against @qgemm
// WS: arg4: max abs err 0.000e+00, max rel err 0.000e+00: ok
// WS: PASS

func.func @qgemm(%x: memref<?x?xf16>, %w: memref<?x?xi4>, %s: memref<?x?xf16>,
                 %z: memref<?x?xi4>, %y: memref<?x?xf32>, %k: index) {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant dense<0.0> : tensor<64x64xf32>
  %acc = scf.for %kk = %c0 to %k step %c32 iter_args(%acc_it = %zero) -> tensor<64x64xf32> {
    %blk = arith.divui %kk, %c32 : index
    %xt = tile.load %x[%c0, %kk] : memref<?x?xf16> -> tensor<64x32xf16>
    %qt = tile.load %w[%kk, %c0] : memref<?x?xi4> -> tensor<32x64xi4>
    %st = tile.load %s[%blk, %c0] : memref<?x?xf16> -> tensor<1x64xf16>
    %zt = tile.load %z[%blk, %c0] : memref<?x?xi4> -> tensor<1x64xi4>
    %wt = tile.dequant %qt, %st, %zt axis = 0 block_size = 32
        : tensor<32x64xi4>, tensor<1x64xf16>, tensor<1x64xi4> -> tensor<32x64xf16>
    %d = tile.dot %xt, %wt, %acc_it : tensor<64x32xf16>, tensor<32x64xf16> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  tile.store %acc, %y[%c0, %c0] : tensor<64x64xf32>, memref<?x?xf32>
  return
}
