// CUTLASS's warp-specialized *cooperative* GEMM on Hopper: one 128x256
// output tile, its accumulator (128x256 f32 = 256 registers per thread of a
// warp group) too large for one warp group's largest budget (248), so two
// consumer warp groups each take 64 rows and share the B tile; one TMA
// producer warp group on the smallest budget feeds both. II equals the
// tensor-core / TMA bound and is proven optimal.
//
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a -weft-schedule -mlir-print-debuginfo \
// RUN:   | weft-translate --export-schedule | %schedule-facts | FileCheck %s
//
// CHECK: loop gemm_cooperative ii=[[II:[0-9]+]] lower_bound=[[II]] proven_optimal=true {{.*}} partitions=3
// CHECK-DAG: partition {{[0-9]+}} load registers=24: load_a0 load_a1 load_b
// CHECK-DAG: partition {{[0-9]+}} mma registers={{2[0-4][0-9]}}: mma0
// CHECK-DAG: partition {{[0-9]+}} mma registers={{2[0-4][0-9]}}: mma1
// CHECK-DAG: op load_b tma_load stage=0 partition={{[0-9]+}} buffers={{[2-9]}}

func.func @gemm_cooperative(%a: memref<?x?xbf16>, %b: memref<?x?xbf16>, %k: index)
    -> (tensor<64x256xf32>, tensor<64x256xf32>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant dense<0.0> : tensor<64x256xf32>
  %acc:2 = scf.for %kk = %c0 to %k step %c64 iter_args(%x0 = %zero, %x1 = %zero)
      -> (tensor<64x256xf32>, tensor<64x256xf32>) {
    %a0 = tile.load %a[%c0, %kk] : memref<?x?xbf16> -> tensor<64x64xbf16> loc("load_a0")
    %a1 = tile.load %a[%c64, %kk] : memref<?x?xbf16> -> tensor<64x64xbf16> loc("load_a1")
    %bt = tile.load %b[%kk, %c0] : memref<?x?xbf16> -> tensor<64x256xbf16> loc("load_b")
    %d0 = tile.dot %a0, %bt, %x0 : tensor<64x64xbf16>, tensor<64x256xbf16> -> tensor<64x256xf32> loc("mma0")
    %d1 = tile.dot %a1, %bt, %x1 : tensor<64x64xbf16>, tensor<64x256xbf16> -> tensor<64x256xf32> loc("mma1")
    scf.yield %d0, %d1 : tensor<64x256xf32>, tensor<64x256xf32>
  }
  return %acc#0, %acc#1 : tensor<64x256xf32>, tensor<64x256xf32>
}
