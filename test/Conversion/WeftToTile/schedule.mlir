// graph -> tile -> schedule: a tiled f16 GEMM + bias + ReLU (100x80x72, tiles
// 64x64x32: masked tails in M, N and K) goes through weft-attach-machine,
// weft-schedule and weft-specialize and still computes, bit for bit, what
// the tile program computes; both agree with numpy.
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %s -weft-tile-kernels="tile-m=64 tile-n=64 tile-k=32" -o %t/tiled.mlir
// RUN: weft-opt %t/tiled.mlir -weft-attach-machine=target=sm_90a -weft-schedule \
// RUN:   -weft-specialize -o %t/specialized.mlir
// RUN: FileCheck %s --input-file=%t/specialized.mlir
// RUN: weft-run --interpret %t/specialized.mlir --entry=gemm --grid=4 --seed=9 \
// RUN:   --check-against=%t/tiled.mlir --atol=0 --rtol=0 \
// RUN:   --save-inputs=%t/in --save-outputs=%t/out | FileCheck %s --check-prefix=EXEC
// RUN: %python %S/Inputs/reference.py matmul-bias-relu %t/in %t/out --atol 2e-3 --rtol 2e-3 \
// RUN:   | FileCheck %s --check-prefix=NUMPY

// CHECK-LABEL: func.func @gemm(
// CHECK-SAME: weft.grid = array<i64: 4, 1, 1>
// CHECK: pipe.warp_specialize machine = #sm_90a {
// CHECK: pipe.partition load
// CHECK: tile.load {{.*}} masked {{.*}}: memref<100x72xf16> -> tensor<64x32xf16>
// CHECK: pipe.partition mma
// CHECK: tile.dot
// CHECK: pipe.schedule = #pipe.schedule<{{.*}}proven_optimal = true
// CHECK: tile.store {{.*}} masked : tensor<64x64xf16>, memref<100x80xf16>

// EXEC: arg3: max abs err 0.000e+00, max rel err 0.000e+00: ok
// EXEC: PASS
// NUMPY: numpy check: PASS

func.func @main(%a: tensor<100x72xf16>, %b: tensor<72x80xf16>, %bias: tensor<80xf16>) -> tensor<100x80xf16> {
  %0 = weft.kernel @gemm(%a, %b, %bias)
      : (tensor<100x72xf16>, tensor<72x80xf16>, tensor<80xf16>) -> tensor<100x80xf16> {
  ^bb0(%x: tensor<100x72xf16>, %y: tensor<72x80xf16>, %z: tensor<80xf16>):
    %1 = weft.matmul %x, %y : tensor<100x72xf16>, tensor<72x80xf16>
    %2 = weft.add %1, %z : tensor<100x80xf16>, tensor<80xf16>
    %3 = weft.relu %2 : tensor<100x80xf16>
    weft.yield %3 : tensor<100x80xf16>
  }
  return %0 : tensor<100x80xf16>
}
