// What weft-convert-pipe-to-nvgpu cannot lower is a located error and a
// non-zero exit: wgmma operands without 128-byte rows, channels that do not
// fit in shared memory, ops it has no lowering for, and machines that are
// not NVIDIA chips.
// RUN: split-file %s %t
// RUN: weft-opt %t/narrow-k.mlir -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize -mlir-print-debuginfo -o %t/narrow-k.ws.mlir
// RUN: not weft-opt %t/narrow-k.ws.mlir -weft-convert-pipe-to-nvgpu 2>&1 | FileCheck %s --check-prefix=NARROW
// Deeper channels than the schedule chose: 14 slots of each tile.
// RUN: weft-opt %S/Inputs/gemm-bias-gelu.mlir -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize \
// RUN:   | sed -e 's/depth = [0-9]*, shared>/depth = 14, shared>/g' > %t/too-big.ws.mlir
// RUN: not weft-opt %t/too-big.ws.mlir -weft-convert-pipe-to-nvgpu 2>&1 | FileCheck %s --check-prefix=SMEM
// RUN: weft-opt %t/reduce.mlir -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize -mlir-print-debuginfo -o %t/reduce.ws.mlir
// RUN: not weft-opt %t/reduce.ws.mlir -weft-convert-pipe-to-nvgpu 2>&1 | FileCheck %s --check-prefix=REDUCE
// RUN: weft-opt %t/narrow-k.mlir -weft-attach-machine=target=gfx942 -weft-schedule -weft-specialize -mlir-print-debuginfo -o %t/amd.ws.mlir
// RUN: not weft-opt %t/amd.ws.mlir -weft-convert-pipe-to-nvgpu 2>&1 | FileCheck %s --check-prefix=AMD

// NARROW: narrow-k.mlir:{{[0-9]+}}:10: error: wgmma operands need 128-byte swizzled rows: K tile of 64 bytes (use a K tile of 128 bytes, e.g. 64 elements)
// SMEM: error: channels need {{[0-9]+}} bytes of shared memory; sm_90a has 232448
// REDUCE: reduce.mlir:{{[0-9]+}}:{{[0-9]+}}: error: 'tile.reduce' is not lowered to NVIDIA kernels yet (sm_90a)
// AMD: error: machine 'gfx942' is not an NVIDIA chip

//--- narrow-k.mlir
func.func @gemm(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>, %k: index) {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %c128 = arith.constant 128 : index
  %px = tile.program_id x
  %m = arith.muli %px, %c128 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c32 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%m, %kk] : memref<?x?xf16> -> tensor<128x32xf16>
    %bt = tile.load %b[%kk, %c0] : memref<?x?xf16> -> tensor<32x128xf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<128x32xf16>, tensor<32x128xf16> -> tensor<128x128xf32>
    scf.yield %d : tensor<128x128xf32>
  }
  tile.store %acc, %c[%m, %c0] : tensor<128x128xf32>, memref<?x?xf32>
  return
}

//--- reduce.mlir
func.func @rowmax(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?xf32>, %k: index) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%c0, %kk] : memref<?x?xf16> -> tensor<128x64xf16>
    %bt = tile.load %b[%kk, %c0] : memref<?x?xf16> -> tensor<64x128xf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<128x64xf16>, tensor<64x128xf16> -> tensor<128x128xf32>
    scf.yield %d : tensor<128x128xf32>
  }
  %m = tile.reduce max %acc axis = 1 : tensor<128x128xf32>
  tile.store %m, %c[%c0] : tensor<128xf32>, memref<?xf32>
  return
}
