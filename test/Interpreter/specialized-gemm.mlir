// The warp-specialized GEMM (producer partition loading A and B through
// channels, MMA partition accumulating, result through a channel to the
// epilogue) computes exactly what the tile program computes, on sm_90a and
// sm_100a, under round-robin and random interleavings.
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %S/gemm-numpy.mlir -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize -o %t/ws90.mlir
// RUN: FileCheck %s --check-prefix=IR < %t/ws90.mlir
// RUN: weft-run --interpret %t/ws90.mlir --grid=2,2 --arg-sizes=128x80,80x128,128x128 \
// RUN:   --scalars=80 --seed=7 --check-against=%S/gemm-numpy.mlir --atol=0 --rtol=0 | FileCheck %s
// RUN: weft-run --interpret %t/ws90.mlir --grid=2,2 --arg-sizes=128x80,80x128,128x128 \
// RUN:   --scalars=80 --seed=7 --schedule=random --schedule-seed=42 \
// RUN:   --check-against=%S/gemm-numpy.mlir --atol=0 --rtol=0 | FileCheck %s
// RUN: weft-opt %S/gemm-numpy.mlir -weft-attach-machine=target=sm_100a -weft-schedule -weft-specialize -o %t/ws100.mlir
// RUN: weft-run --interpret %t/ws100.mlir --grid=2,2 --arg-sizes=128x80,80x128,128x128 \
// RUN:   --scalars=80 --seed=7 --check-against=%S/gemm-numpy.mlir --atol=0 --rtol=0 | FileCheck %s
// The Schedule suite's GEMM too.
// RUN: weft-opt %S/../Schedule/specialize-gemm.mlir -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize -o %t/sched.mlir
// RUN: weft-run --interpret %t/sched.mlir --grid=2 --arg-sizes=256x256,256x256,256x256 \
// RUN:   --scalars=256 --check-against=%S/../Schedule/specialize-gemm.mlir --atol=0 --rtol=0 | FileCheck %s

// IR: pipe.warp_specialize
// CHECK: check @gemm against @gemm
// CHECK: arg2: max abs err 0.000e+00, max rel err 0.000e+00: ok
// CHECK: PASS
