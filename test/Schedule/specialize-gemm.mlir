// A pipelined GEMM main loop on Hopper: weft-schedule puts both TMA loads on
// a producer warp group with the smallest register budget and the wgmma on a
// consumer holding the accumulator; weft-specialize turns that into a
// pipe.warp_specialize whose partitions talk through channels as deep as the
// schedule's buffers.
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a -weft-schedule | FileCheck %s --check-prefix=SCHED
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize | FileCheck %s
// The specialized program is valid IR that round-trips.
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize | weft-opt | FileCheck %s

// SCHED: tile.load {{.*}} {pipe.placement = #pipe.placement<stage = 0, cycle = {{[0-9]+}}, partition = [[LOAD:[0-9]+]], buffers = [[DEPTH:[2-9]]]>}
// SCHED: tile.load {{.*}} {pipe.placement = #pipe.placement<stage = 0, cycle = {{[0-9]+}}, partition = [[LOAD]], buffers = {{[2-9]}}>}
// SCHED: tile.dot {{.*}} {pipe.placement = #pipe.placement<stage = {{[1-9]}}, cycle = {{[0-9]+}}, partition = [[MMA:[0-9]+]]>}
// SCHED: pipe.groups = [{{.*}}#pipe.group<role = load, registers = 24, needed = 0>{{.*}}#pipe.group<role = mma, registers = {{[0-9]+}}, needed = 128>{{.*}}]
// SCHED-SAME: pipe.schedule = #pipe.schedule<ii = [[II:[0-9]+]], lower_bound = [[II]], proven_optimal = true, stages = {{[2-9]}}, length = {{[0-9]+}}, ii_cycles = {{[0-9]+}}, partitions = 2>

// CHECK-LABEL: func.func @gemm
// CHECK: %[[A:.*]] = pipe.create_channel : !pipe.channel<tensor<128x64xf16>, depth = [[D:[2-9]]], shared>
// CHECK: %[[B:.*]] = pipe.create_channel : !pipe.channel<tensor<64x128xf16>, depth = {{[2-9]}}, shared>
// CHECK: %[[OUT:.*]] = pipe.create_channel : !pipe.channel<tensor<128x128xf32>, depth = 1, shared>
// CHECK: pipe.warp_specialize machine = #sm_90a {
// CHECK: pipe.partition load warps = 4 registers = 24 {
// CHECK: scf.for
// CHECK: %[[LA:.*]] = tile.load
// CHECK: pipe.put %[[LA]], %[[A]]
// CHECK: %[[LB:.*]] = tile.load
// CHECK: pipe.put %[[LB]], %[[B]]
// CHECK: pipe.partition mma warps = 4 registers = {{[0-9]+}} {
// CHECK: %[[RES:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<128x128xf32>) {
// CHECK: %[[GA:.*]] = pipe.get %[[A]]
// CHECK: %[[GB:.*]] = pipe.get %[[B]]
// CHECK: %[[D2:.*]] = tile.dot %[[GA]], %[[GB]], %[[ACC]]
// CHECK: pipe.release %[[A]]
// CHECK: pipe.release %[[B]]
// CHECK: scf.yield %[[D2]]
// CHECK: pipe.put %[[RES]], %[[OUT]]
// CHECK: %[[FINAL:.*]] = pipe.get %[[OUT]]
// CHECK: tile.store %[[FINAL]]
// CHECK: pipe.release %[[OUT]]
// CHECK-NEXT: return
func.func @gemm(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>, %k: index) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %pm = tile.program_id x
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%pm, %kk] : memref<?x?xf16> -> tensor<128x64xf16>
    %bt = tile.load %b[%kk, %pm] : memref<?x?xf16> -> tensor<64x128xf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<128x64xf16>, tensor<64x128xf16> -> tensor<128x128xf32>
    scf.yield %d : tensor<128x128xf32>
  }
  tile.store %acc, %c[%pm, %c0] : tensor<128x128xf32>, memref<?x?xf32>
  return
}
