// CUTLASS's warp-specialized *ping-pong* GEMM on Hopper: a persistent loop
// computing two 128x128 output tiles per iteration (K = 128). Each consumer
// warp group owns one tile (its 128-register accumulator, its epilogue and
// TMA store), and the epilogue of one tile runs while the other consumer's
// main loop keeps the tensor core busy. One TMA producer on the smallest
// budget loads for both. II is the TMA bound (loads and stores share the
// copy engine) and is proven optimal.
//
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a -weft-schedule -mlir-print-debuginfo \
// RUN:   | weft-translate --export-schedule | %schedule-facts | FileCheck %s
//
// CHECK: loop gemm_pingpong ii=[[II:[0-9]+]] lower_bound=[[II]] proven_optimal=true {{.*}} partitions=3
// CHECK-DAG: partition {{[0-9]+}} load registers=24: load_a0 load_a1 load_b0 load_b1
// CHECK-DAG: partition {{[0-9]+}} consumer registers={{[0-9]+}}: epilogue0 mainloop0 store0
// CHECK-DAG: partition {{[0-9]+}} consumer registers={{[0-9]+}}: epilogue1 mainloop1 store1
// CHECK-DAG: overlap {{epilogue0 mainloop1|epilogue1 mainloop0}}

func.func @gemm_pingpong(%a: memref<?x128xbf16>, %b: memref<128x?xbf16>, %c: memref<?x?xbf16>,
                         %tiles: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c128 = arith.constant 128 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  scf.for %t = %c0 to %tiles step %c2 {
    %t1 = arith.addi %t, %c1 : index
    %m0 = arith.muli %t, %c128 : index
    %m1 = arith.muli %t1, %c128 : index
    %a0 = tile.load %a[%m0, %c0] : memref<?x128xbf16> -> tensor<128x128xbf16> loc("load_a0")
    %b0 = tile.load %b[%c0, %c0] : memref<128x?xbf16> -> tensor<128x128xbf16> loc("load_b0")
    %d0 = tile.dot %a0, %b0, %zero : tensor<128x128xbf16>, tensor<128x128xbf16> -> tensor<128x128xf32> loc("mainloop0")
    %e0 = arith.truncf %d0 : tensor<128x128xf32> to tensor<128x128xbf16> loc("epilogue0")
    tile.store %e0, %c[%m0, %c0] : tensor<128x128xbf16>, memref<?x?xbf16> loc("store0")
    %a1 = tile.load %a[%m1, %c0] : memref<?x128xbf16> -> tensor<128x128xbf16> loc("load_a1")
    %b1 = tile.load %b[%c0, %c0] : memref<128x?xbf16> -> tensor<128x128xbf16> loc("load_b1")
    %d1 = tile.dot %a1, %b1, %zero : tensor<128x128xbf16>, tensor<128x128xbf16> -> tensor<128x128xf32> loc("mainloop1")
    %e1 = arith.truncf %d1 : tensor<128x128xf32> to tensor<128x128xbf16> loc("epilogue1")
    tile.store %e1, %c[%m1, %c0] : tensor<128x128xbf16>, memref<?x?xbf16> loc("store1")
  }
  return
}
