// The tensor memory weft-specialize gives to accumulator channels is what the
// accumulators kept inside one partition's loop leave: here the MMA
// partition carries a 128x256 f32 GEMM accumulator (256 of sm_100a's 512
// columns) and hands a second 128x256 product to a row-max partition. With
// 512 columns the hand-off goes to tensor memory; with 384 (edited in the
// scheduled program) only 128 are left and it falls back to shared memory.
// The loop result (the GEMM accumulator after the loop) leaves through a
// shared-memory channel either way. The specialized program computes what
// the tile program does, bit for bit.
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %s -weft-attach-machine=target=sm_100a -weft-schedule -o %t/scheduled.mlir
// RUN: weft-opt %t/scheduled.mlir -weft-specialize -o %t/ws.mlir
// RUN: FileCheck %s --check-prefix=TMEM512 < %t/ws.mlir
// RUN: sed -e 's/tmem_columns = 512/tmem_columns = 384/' %t/scheduled.mlir \
// RUN:   | weft-opt -weft-specialize | FileCheck %s --check-prefix=TMEM384
// RUN: weft-run --interpret %t/ws.mlir --arg-sizes=128x128,128x256,128x256,128 --scalars=128 --seed=3 \
// RUN:   --check-against=%s --atol=0 --rtol=0 | FileCheck %s --check-prefix=INTERP

// TMEM512: %[[S:.*]] = pipe.create_channel : !pipe.channel<tensor<128x256xf32>, depth = 1, tensor>
// TMEM512: %[[RESULT:.*]] = pipe.create_channel : !pipe.channel<tensor<128x256xf32>, depth = 1, shared>
// TMEM512: pipe.partition mma
// TMEM512: %[[PRODUCT:.*]] = tile.dot {{.*}}, {{.*}}, %cst
// TMEM512-NEXT: pipe.put %[[PRODUCT]], %[[S]]
// TMEM512: pipe.partition compute
// TMEM512: pipe.get %[[S]]

// TMEM384-NOT: tensor>
// TMEM384: pipe.warp_specialize
// TMEM384-NOT: tensor>

// INTERP: arg2: max abs err 0.000e+00
// INTERP: arg3: max abs err 0.000e+00
// INTERP: PASS

func.func @gemm_and_rowmax(%a: memref<128x?xbf16>, %b: memref<?x256xbf16>, %o: memref<128x256xf32>, %mo: memref<128xf32>, %k: index) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant dense<0.0> : tensor<128x256xf32>
  %ninf = arith.constant dense<0xFF800000> : tensor<128xf32>
  %r:2 = scf.for %j = %c0 to %k step %c64 iter_args(%acc = %zero, %m = %ninf) -> (tensor<128x256xf32>, tensor<128xf32>) {
    %at = tile.load %a[%c0, %j] : memref<128x?xbf16> -> tensor<128x64xbf16> loc("load_a")
    %bt = tile.load %b[%j, %c0] : memref<?x256xbf16> -> tensor<64x256xbf16> loc("load_b")
    %accn = tile.dot %at, %bt, %acc : tensor<128x64xbf16>, tensor<64x256xbf16> -> tensor<128x256xf32> loc("mma")
    %s = tile.dot %at, %bt, %zero : tensor<128x64xbf16>, tensor<64x256xbf16> -> tensor<128x256xf32> loc("mma_s")
    %rm = tile.reduce max %s axis = 1 : tensor<128x256xf32> loc("rowmax")
    %mn = arith.maximumf %m, %rm : tensor<128xf32> loc("max")
    scf.yield %accn, %mn : tensor<128x256xf32>, tensor<128xf32>
  }
  tile.store %r#0, %o[%c0, %c0] : tensor<128x256xf32>, memref<128x256xf32>
  tile.store %r#1, %mo[%c0] : tensor<128xf32>, memref<128xf32>
  return
}
