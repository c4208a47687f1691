// weft-translate --export-schedule writes a scheduled loop as JSON (for
// tools and plots) or as a Chrome trace / Perfetto timeline of three
// overlapped iterations, one lane per (partition, unit).
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a -weft-schedule -mlir-print-debuginfo \
// RUN:   | weft-translate --export-schedule | FileCheck %s --check-prefix=JSON
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a -weft-schedule -mlir-print-debuginfo \
// RUN:   | weft-translate --export-schedule --schedule-format=trace | FileCheck %s --check-prefix=TRACE
// RUN: not weft-translate --export-schedule %s 2>&1 | FileCheck %s --check-prefix=NONE

// JSON: "loops": [
// JSON: "function": "gemm",
// JSON: "ii": [[II:[0-9]+]],
// JSON: "lower_bound": [[II]],
// JSON: "kind": "tma_load",
// JSON: "location": "load_a",
// JSON: "unit": "tma"
// JSON: "kind": "mma",
// JSON: "location": "mma",
// JSON: "partitions": [
// JSON: "role": "load"
// JSON: "role": "mma"
// JSON: "proven_optimal": true,

// TRACE: "time_unit": "machine cycles"
// TRACE: "name": "gemm @ {{.*}} (II {{[0-9]+}} cycles)"
// TRACE: "name": "p0 load / tma"
// TRACE: "name": "p1 mma / tensor"
// TRACE: "cat": "iteration 0",
// TRACE: "name": "tile.load (tma_load)",
// TRACE: "cat": "iteration 2",
// TRACE: "name": "tile.dot (mma)",

// NONE: error: no scheduled loop to export; run weft-schedule first

func.func @gemm(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>, %k: index) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%c0, %kk] : memref<?x?xf16> -> tensor<128x64xf16> loc("load_a")
    %bt = tile.load %b[%kk, %c0] : memref<?x?xf16> -> tensor<64x128xf16> loc("load_b")
    %d = tile.dot %at, %bt, %acc_it : tensor<128x64xf16>, tensor<64x128xf16> -> tensor<128x128xf32> loc("mma")
    scf.yield %d : tensor<128x128xf32>
  }
  tile.store %acc, %c[%c0, %c0] : tensor<128x128xf32>, memref<?x?xf32>
  return
}
