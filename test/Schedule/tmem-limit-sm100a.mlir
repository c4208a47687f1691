// Capacity, not throughput, sets the II: a persistent GEMM whose 128x512 f32
// accumulator takes all 512 tensor-memory columns of sm_100a cannot start
// the next tile's MMA before the epilogue has read the previous accumulator,
// so the optimal II lies above the resource lower bound (proven: every
// smaller II is infeasible). Declaring a machine with twice the tensor
// memory lets the accumulator double-buffer and the II falls to the bound.
//
// RUN: weft-opt %s -weft-attach-machine=target=sm_100a -weft-schedule -mlir-print-debuginfo \
// RUN:   | weft-translate --export-schedule | %schedule-facts | FileCheck %s --check-prefix=TMEM512
// RUN: weft-opt %s -weft-attach-machine=target=sm_100a -mlir-print-debuginfo \
// RUN:   | sed -e 's/tmem_columns = 512/tmem_columns = 1024/' \
// RUN:   | weft-opt -weft-schedule -mlir-print-debuginfo \
// RUN:   | weft-translate --export-schedule | %schedule-facts | FileCheck %s --check-prefix=TMEM1024

// TMEM512: loop gemm_wide ii={{[0-9]+}} lower_bound=[[LB:[0-9]+]] proven_optimal=true
// TMEM512-NOT: ii=[[LB]] lower_bound
// TMEM512: partition {{[0-9]+}} load registers=24: load_a load_b
// TMEM512: partition {{[0-9]+}} mma registers=24: mma
// TMEM512: partition {{[0-9]+}} epilogue registers={{[0-9]+}}: epilogue
// TMEM512: op mma mma stage={{[0-9]+}} partition={{[0-9]+}} buffers=1

// TMEM1024: loop gemm_wide ii=[[II:[0-9]+]] lower_bound=[[II]] proven_optimal=true
// TMEM1024: op mma mma stage={{[0-9]+}} partition={{[0-9]+}} buffers=2

func.func @gemm_wide(%a: memref<?x64xbf16>, %b: memref<64x512xbf16>, %tiles: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  %zero = arith.constant dense<0.0> : tensor<128x512xf32>
  scf.for %t = %c0 to %tiles step %c1 {
    %m = arith.muli %t, %c128 : index
    %at = tile.load %a[%m, %c0] : memref<?x64xbf16> -> tensor<128x64xbf16> loc("load_a")
    %bt = tile.load %b[%c0, %c0] : memref<64x512xbf16> -> tensor<64x512xbf16> loc("load_b")
    %d = tile.dot %at, %bt, %zero : tensor<128x64xbf16>, tensor<64x512xbf16> -> tensor<128x512xf32> loc("mma")
    %e = arith.truncf %d : tensor<128x512xf32> to tensor<128x512xbf16> loc("epilogue")
  }
  return
}
