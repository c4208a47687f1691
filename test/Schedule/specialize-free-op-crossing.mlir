// Regression: a free op of the loop body (here the tensor.collapse_shape of
// a head's K / V tile, which has no pipe.placement) between a load placed on
// the producer and a dot placed on the MMA partition. weft-specialize copies
// the free op into the MMA partition, so the load's result must cross to
// that partition through a channel; it used to be left pointing at the
// erased original load and crashed the verifier (weft-compile of
// docs/examples/transformer_block.onnx for sm_100a, attention kernel).
// The specialized program computes bit for bit what the tile program does.
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %s -weft-attach-machine=target=sm_100a -weft-schedule -weft-specialize -o %t/ws.mlir
// RUN: FileCheck %s < %t/ws.mlir
// RUN: weft-run --interpret %t/ws.mlir --grid=1,4 --seed=7 --check-against=%s --atol=0 --rtol=0 | FileCheck %s --check-prefix=INTERP
// RUN: weft-run --interpret %t/ws.mlir --grid=1,4 --seed=7 --schedule=random --schedule-seed=3 --check-against=%s --atol=0 --rtol=0 | FileCheck %s --check-prefix=INTERP

// CHECK: pipe.partition load
// CHECK: %[[K:.*]] = tile.load %arg1
// CHECK: pipe.put %[[K]], %[[KCH:.*]] :
// CHECK: pipe.partition mma
// CHECK: %[[KGOT:.*]] = pipe.get %[[KCH]]
// CHECK-NEXT: tensor.collapse_shape %[[KGOT]]
// INTERP-LABEL: check @main_attention_4
// INTERP: PASS

func.func @main_attention_4(%arg0: memref<4x64x32xf16>, %arg1: memref<4x64x32xf16>, %arg2: memref<4x64x32xf16>, %arg3: memref<64x128xf16>) attributes {weft.grid = array<i64: 1, 4, 1>} {
  %0 = tile.program_id x
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %1 = arith.muli %0, %c64 : index
  %c32 = arith.constant 32 : index
  %2 = arith.muli %c0, %c32 : index
  %3 = tile.program_id y
  %c0_0 = arith.constant 0 : index
  %4 = tile.load %arg0[%3, %1, %c0_0] : memref<4x64x32xf16> -> tensor<1x64x32xf16>
  %collapsed = tensor.collapse_shape %4 [[0, 1], [2]] : tensor<1x64x32xf16> into tensor<64x32xf16>
  %c64_1 = arith.constant 64 : index
  %cst = arith.constant dense<0xFF800000> : tensor<64xf32>
  %cst_2 = arith.constant dense<0.000000e+00> : tensor<64xf32>
  %cst_3 = arith.constant dense<0.000000e+00> : tensor<64x32xf32>
  %cst_4 = arith.constant dense<0.000000e+00> : tensor<64x64xf32>
  %c0_5 = arith.constant 0 : index
  %c64_6 = arith.constant 64 : index
  %5:3 = scf.for %arg4 = %c0_5 to %c64_1 step %c64_6 iter_args(%arg5 = %cst, %arg6 = %cst_2, %arg7 = %cst_3) -> (tensor<64xf32>, tensor<64xf32>, tensor<64x32xf32>) {
    %c0_8 = arith.constant 0 : index
    %11 = tile.load %arg1[%3, %arg4, %c0_8] : memref<4x64x32xf16> -> tensor<1x64x32xf16>
    %collapsed_9 = tensor.collapse_shape %11 [[0, 1], [2]] : tensor<1x64x32xf16> into tensor<64x32xf16>
    %c0_10 = arith.constant 0 : index
    %12 = tile.load %arg2[%3, %arg4, %c0_10] : memref<4x64x32xf16> -> tensor<1x64x32xf16>
    %collapsed_11 = tensor.collapse_shape %12 [[0, 1], [2]] : tensor<1x64x32xf16> into tensor<64x32xf16>
    %13 = tile.dot %collapsed, %collapsed_9, %cst_4 transpose_rhs : tensor<64x32xf16>, tensor<64x32xf16> -> tensor<64x64xf32>
    %cst_12 = arith.constant dense<0.176757813> : tensor<64x64xf32>
    %14 = arith.mulf %13, %cst_12 : tensor<64x64xf32>
    %15 = tile.reduce max %14 axis = 1 : tensor<64x64xf32>
    %16 = arith.maximumf %arg5, %15 : tensor<64xf32>
    %17 = tile.broadcast %16 [1] : tensor<64xf32> -> tensor<64x64xf32>
    %18 = arith.subf %14, %17 : tensor<64x64xf32>
    %19 = math.exp %18 : tensor<64x64xf32>
    %20 = tile.reduce sum %19 axis = 1 : tensor<64x64xf32>
    %21 = arith.subf %arg5, %16 : tensor<64xf32>
    %22 = math.exp %21 : tensor<64xf32>
    %23 = arith.mulf %arg6, %22 : tensor<64xf32>
    %24 = arith.addf %23, %20 : tensor<64xf32>
    %25 = tile.broadcast %22 [1] : tensor<64xf32> -> tensor<64x32xf32>
    %26 = arith.mulf %arg7, %25 : tensor<64x32xf32>
    %27 = arith.truncf %19 : tensor<64x64xf32> to tensor<64x64xf16>
    %28 = tile.dot %27, %collapsed_11, %26 : tensor<64x64xf16>, tensor<64x32xf16> -> tensor<64x32xf32>
    scf.yield %16, %24, %28 : tensor<64xf32>, tensor<64xf32>, tensor<64x32xf32>
  }
  %6 = tile.broadcast %5#1 [1] : tensor<64xf32> -> tensor<64x32xf32>
  %7 = arith.divf %5#2, %6 : tensor<64x32xf32>
  %8 = arith.truncf %7 : tensor<64x32xf32> to tensor<64x32xf16>
  %c32_7 = arith.constant 32 : index
  %9 = arith.muli %3, %c32_7 : index
  %10 = arith.addi %9, %2 : index
  tile.store %8, %arg3[%1, %10] : tensor<64x32xf16>, memref<64x128xf16>
  return
}
