// A solved schedule is stored under a hash of (problem, machine, settings)
// and reused by the next compile of the same loop.
// RUN: rm -rf %t.cache
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a "-weft-schedule=cache-dir=%t.cache" -o %t.first 2>&1 | FileCheck %s --allow-empty --check-prefix=MISS
// RUN: ls %t.cache | FileCheck %s --check-prefix=ENTRY
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a "-weft-schedule=cache-dir=%t.cache" -o %t.second 2>&1 | FileCheck %s --check-prefix=HIT
// RUN: diff %t.first %t.second
// A corrupt entry is a miss, not a crash.
// RUN: for f in %t.cache/*.json; do echo garbage > $f; done
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a "-weft-schedule=cache-dir=%t.cache" -o %t.third 2>&1 | FileCheck %s --allow-empty --check-prefix=MISS
// RUN: diff %t.first %t.third

// MISS-NOT: taken from the cache
// ENTRY: {{^[0-9a-f]{16}\.json$}}
// HIT: remark: schedule taken from the cache

func.func @gemm(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %k: index) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%c0, %kk] : memref<?x?xf16> -> tensor<128x64xf16>
    %bt = tile.load %b[%kk, %c0] : memref<?x?xf16> -> tensor<64x128xf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<128x64xf16>, tensor<64x128xf16> -> tensor<128x128xf32>
    scf.yield %d : tensor<128x128xf32>
  }
  return %acc : tensor<128x128xf32>
}
