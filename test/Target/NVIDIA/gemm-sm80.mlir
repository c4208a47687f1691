// The GEMM + bias + GELU tile program on sm_80 (Ampere: no TMA, no wgmma,
// no setmaxnreg): the load partition's threads fill the channel slots with
// 16-byte cp.async copies (zero-filling the masked edges) that arrive on the
// slot's mbarrier when they land; the MMA partition's four warps each own a
// 64x64 corner of the accumulator, fed by ldmatrix (transposed for the
// row-major B) into mma.sync m16n8k16, the fragments kept in registers. The
// pipe program agrees with the tile program (interpreter); ptxas assembles
// the PTX for sm_80 with no local-memory accumulator.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %S/Inputs/gemm-bias-gelu.mlir -weft-attach-machine=target=sm_80 \
// RUN:   -weft-schedule -weft-specialize -o %t/ws.mlir
// RUN: weft-run --interpret %t/ws.mlir --grid=2,2 --arg-sizes=200x150,150x230,230,200x230 \
// RUN:   --scalars=150 --seed=11 --check-against=%S/Inputs/gemm-bias-gelu.mlir --atol=0 --rtol=0 \
// RUN:   | FileCheck %s --check-prefix=INTERP
// RUN: weft-opt %t/ws.mlir -weft-convert-pipe-to-nvgpu | FileCheck %s
// RUN: weft-opt %t/ws.mlir -weft-lower-to-nvvm -o %t/k.mlir
// RUN: weft-translate --export-ptx %t/k.mlir -o %t/k.ptx
// RUN: FileCheck %s --check-prefix=PTX < %t/k.ptx
// RUN: %ptxas -arch=sm_80 %t/k.ptx -o %t/k.o

// INTERP: arg3: max abs err 0.000e+00, max rel err 0.000e+00: ok
// INTERP: PASS

// CHECK: gpu.module @gemm_bias_gelu_kernel [#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">]
// CHECK-NOT: tensormap
// CHECK: gpu.func @gemm_bias_gelu(%{{.*}}: memref<?x?xf16>, %{{.*}}: memref<?x?xf16>, %{{.*}}: memref<?xf16>, %{{.*}}: memref<?x?xf16>, %{{.*}}: index) kernel
// The accumulator: 4 x 8 m16n8 fragments per warp, a private array.
// CHECK: memref.alloca() : memref<4x8xvector<2x2xf32>>
// CHECK-NOT: nvvm.setmaxregister
// Producer: every thread spins on the free slot, copies its 16-byte pieces
// (as many elements as lie inside A), and arrives when they land.
// CHECK: nvvm.mbarrier.test.wait
// CHECK: nvgpu.device_async_copy %{{.*}}[%{{.*}}, %{{.*}}], %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}], 8, %{{.*}} :
// CHECK: nvvm.cp.async.mbarrier.arrive %{{.*}} {noinc = true}
// Consumer: ldmatrix A (x4) and B (x2, transposed), 32 mma.sync per K step.
// CHECK: nvgpu.ldmatrix %{{.*}} {numTiles = 4 : i32, transpose = false} : memref<128x64xf16, strided<[64, 1], offset: ?>, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// CHECK: nvgpu.ldmatrix %{{.*}} {numTiles = 2 : i32, transpose = true} : memref<64x128xf16, strided<[128, 1], offset: ?>, #gpu.address_space<workgroup>> -> vector<2x2xf16>
// CHECK-COUNT-32: nvgpu.mma.sync
// Release: the partition syncs on its named barrier, one thread arrives.
// CHECK: nvvm.barrier id =
// CHECK: nvgpu.mbarrier.arrive
// CHECK-NOT: nvvm.wgmma
// CHECK-NOT: nvvm.fence.proxy
// CHECK: gpu.return

// PTX: .target sm_80
// PTX: .visible .entry gemm_bias_gelu(
// PTX-NOT: .local
// PTX: mbarrier.test_wait.parity.shared.b64
// PTX: cp.async.ca.shared.global
// PTX: cp.async.mbarrier.arrive.noinc.shared.b64
// PTX: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// PTX: ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16
// PTX: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
