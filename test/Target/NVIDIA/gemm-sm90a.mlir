// The GEMM + bias + GELU tile program, scheduled and warp-specialized for
// sm_90a, becomes a Hopper kernel: a TMA producer warp group at 24 registers
// and a wgmma consumer, channels as mbarrier-guarded shared-memory slots, the
// epilogue evaluated after the partitions join. The pipe program that is
// lowered computes exactly what the tile program computes (interpreter), the
// PTX is assembled by ptxas for sm_90a, and the launch manifest describes the
// kernel's parameters.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %S/Inputs/gemm-bias-gelu.mlir -weft-attach-machine=target=sm_90a \
// RUN:   -weft-schedule -weft-specialize -o %t/ws.mlir
// RUN: weft-run --interpret %t/ws.mlir --grid=2,2 --arg-sizes=200x150,150x230,230,200x230 \
// RUN:   --scalars=150 --seed=3 --check-against=%S/Inputs/gemm-bias-gelu.mlir --atol=0 --rtol=0 \
// RUN:   | FileCheck %s --check-prefix=INTERP
// RUN: weft-opt %t/ws.mlir -weft-convert-pipe-to-nvgpu | FileCheck %s
// RUN: weft-opt %t/ws.mlir -weft-lower-to-nvvm -o %t/k.mlir
// RUN: weft-translate --export-ptx %t/k.mlir -o %t/k.ptx
// RUN: FileCheck %s --check-prefix=PTX < %t/k.ptx
// RUN: %ptxas -arch=sm_90a %t/k.ptx -o %t/k.o
// RUN: weft-translate --export-cubin --launch-manifest=%t/k.cubin.json %t/k.mlir -o %t/k.cubin
// RUN: FileCheck %s --check-prefix=MANIFEST < %t/k.cubin.json

// INTERP: arg3: max abs err 0.000e+00, max rel err 0.000e+00: ok
// INTERP: PASS

// The module keeps only the kernel; the machine model went with the pipe ops.
// CHECK: module attributes {gpu.container_module} {
// CHECK: gpu.module @gemm_bias_gelu_kernel [#nvvm.target<O = 3, chip = "sm_90a", features = "+ptx80">]
// CHECK-SAME: weft.launch = {block = array<i64: 256, 1, 1>, grid = array<i64: 2, 2, 1>, kernel = "gemm_bias_gelu"
// CHECK: memref.global "private" @__weft_shared_pool : memref<0xi8, #gpu.address_space<workgroup>> {alignment = 1024 : i64}
// CHECK: gpu.func @gemm_bias_gelu(%{{.*}}: memref<?x?xf16>, %{{.*}}: memref<?x?xf16>, %{{.*}}: memref<?xf16>, %{{.*}}: memref<?x?xf16>, %{{.*}}: index, %[[DA:.*]]: !llvm.ptr, %[[DB:.*]]: !llvm.ptr) kernel
// CHECK-SAME: known_block_size = array<i32: 256, 1, 1>
// CHECK-SAME: nvvm.maxnreg = 248 : i32
// A's slots, then B's: depth x tile in the shared pool, full and empty barriers.
// CHECK: %[[ASLOTS:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<{{[0-9]+}}xi8, #gpu.address_space<workgroup>> to memref<[[DA_:[2-9]]]x128x64xf16, #gpu.address_space<workgroup>>
// CHECK: %[[AFULL:.*]] = nvgpu.mbarrier.create
// CHECK: %[[AEMPTY:.*]] = nvgpu.mbarrier.create
// CHECK: %[[TMA:.*]] = builtin.unrealized_conversion_cast %[[DA]] : !llvm.ptr to !nvgpu.tensormap.descriptor<tensor = memref<128x64xf16, #gpu.address_space<workgroup>>, swizzle = swizzle_128b
// CHECK: nvgpu.mbarrier.init %[[AFULL]][%{{.*}}], %{{.*}}, predicate
// CHECK: gpu.barrier
// The producer warp group: gives registers back, waits for a free slot (the
// opposite parity), expects the bytes and issues the TMA copy.
// CHECK: scf.if
// CHECK: nvvm.setmaxregister decrease 24
// CHECK: scf.for
// CHECK: %[[FREE:.*]] = arith.xori
// CHECK: nvgpu.mbarrier.try_wait.parity %[[AEMPTY]][%[[SLOT:.*]]], %[[FREE]]
// CHECK: nvgpu.mbarrier.arrive.expect_tx %[[AFULL]][%[[SLOT]]], %c16384
// CHECK: nvgpu.tma.async.load %[[TMA]][%{{.*}}, %{{.*}}], %[[AFULL]][%[[SLOT]]] to
// B's 64x128 tile is two 64x64 boxes of 128-byte rows.
// CHECK: nvgpu.tma.async.load
// CHECK: nvgpu.tma.async.load
// The consumer: accumulates with wgmma from the slots, releases them.
// CHECK: nvgpu.warpgroup.mma.init.accumulator -> <fragmented = vector<128x128xf32>>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (!nvgpu.warpgroup.accumulator<fragmented = vector<128x128xf32>>)
// CHECK: nvgpu.mbarrier.try_wait.parity %[[AFULL]]
// CHECK: nvgpu.warpgroup.generate.descriptor
// CHECK: nvgpu.warpgroup.mma %{{.*}}, %{{.*}}, %{{.*}} {transposeB}
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK: nvvm.barrier id = %{{.*}} number_of_threads = %{{.*}}
// CHECK: nvgpu.mbarrier.arrive %[[AEMPTY]]
// CHECK: nvgpu.warpgroup.mma.store
// CHECK: nvvm.fence.proxy
// After the join every thread runs the epilogue: bias (masked), GELU, store.
// CHECK: gpu.barrier
// CHECK: scf.for %{{.*}} = %{{.*}} to %c16384 step %c256
// CHECK: memref.load %{{.*}} : memref<128x128xf32, strided<[128, 1], offset: ?>, #gpu.address_space<workgroup>>
// CHECK: scf.if
// CHECK: memref.load %{{.*}} : memref<?xf16>
// CHECK: math.tanh
// CHECK: arith.truncf
// CHECK: memref.store %{{.*}} : memref<?x?xf16>

// PTX: .target sm_90a
// PTX: .visible .entry gemm_bias_gelu(
// PTX: .maxnreg 248
// PTX: setmaxnreg.dec.sync.aligned.u32 24;
// PTX: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// PTX: mbarrier.try_wait.parity.shared.b64
// PTX: wgmma.mma_async.sync.aligned.m64n128k16.f32.f16.f16
// PTX: wgmma.wait_group.sync.aligned 0;
// PTX: mbarrier.arrive.shared.b64

// MANIFEST: "binary": "k.cubin"
// MANIFEST: "block": [
// MANIFEST-NEXT: 256,
// MANIFEST: "kernel": "gemm_bias_gelu",
// MANIFEST: "arg": 4,
// MANIFEST-NEXT: "kind": "scalar",
// MANIFEST-NEXT: "type": "index"
// MANIFEST: "arg": 0,
// MANIFEST-NEXT: "box": [
// MANIFEST-NEXT: 128,
// MANIFEST-NEXT: 64
// MANIFEST: "kind": "tma",
// MANIFEST-NEXT: "swizzle": 128
// MANIFEST: "arg": 1,
// MANIFEST-NEXT: "box": [
// MANIFEST-NEXT: 64,
// MANIFEST-NEXT: 64
// MANIFEST: "shared_memory_bytes":
// MANIFEST: "target": "sm_90a"
