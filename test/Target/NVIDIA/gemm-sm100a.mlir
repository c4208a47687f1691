// The same GEMM + bias + GELU tile program on sm_100a: the MMA partition
// issues tcgen05.mma from one thread into a tensor-memory accumulator
// (allocated by one warp for the block), tcgen05.commit releases the operand
// slots when the MMAs that read them complete, and the accumulator reaches
// the epilogue through tcgen05.ld, a row per thread. The pipe program agrees
// with the tile program (interpreter); ptxas assembles the PTX for sm_100a.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %S/Inputs/gemm-bias-gelu.mlir -weft-attach-machine=target=sm_100a \
// RUN:   -weft-schedule -weft-specialize -o %t/ws.mlir
// RUN: weft-run --interpret %t/ws.mlir --grid=2,2 --arg-sizes=200x150,150x230,230,200x230 \
// RUN:   --scalars=150 --seed=5 --check-against=%S/Inputs/gemm-bias-gelu.mlir --atol=0 --rtol=0 \
// RUN:   | FileCheck %s --check-prefix=INTERP
// RUN: weft-opt %t/ws.mlir -weft-convert-pipe-to-nvgpu | FileCheck %s
// RUN: weft-opt %t/ws.mlir -weft-lower-to-nvvm -o %t/k.mlir
// RUN: weft-translate --export-ptx %t/k.mlir -o %t/k.ptx
// RUN: FileCheck %s --check-prefix=PTX < %t/k.ptx
// RUN: %ptxas -arch=sm_100a %t/k.ptx -o %t/k.o

// INTERP: arg3: max abs err 0.000e+00, max rel err 0.000e+00: ok
// INTERP: PASS

// CHECK: gpu.module @gemm_bias_gelu_kernel [#nvvm.target<O = 3, chip = "sm_100a", features = "+ptx86">]
// One warp allocates 128 columns of tensor memory; every thread reads the
// address after the block barrier.
// CHECK: nvvm.tcgen05.alloc %{{.*}}, %c128_i32
// CHECK: nvvm.tcgen05.relinquish_alloc_permit
// CHECK: gpu.barrier
// CHECK: %[[TMEM:.*]] = memref.load %{{.*}}[%{{.*}}] : memref<1xi32, #gpu.address_space<workgroup>>
// Producer: TMA copies into the slots.
// CHECK: nvvm.setmaxregister decrease 24
// CHECK: nvgpu.tma.async.load
// MMA partition: the accumulator is a tensor-memory address carried by the
// loop; the first K step overwrites (enable-input-D false when k == 0).
// CHECK: %[[ACC0:.*]] = arith.addi %[[TMEM]], %c0_i32
// CHECK: scf.for %[[K:.*]] = %[[LB:.*]] to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[ACC0]]) -> (i32)
// CHECK: %[[ENABLE:.*]] = arith.cmpi ne, %[[K]], %[[LB]]
// CHECK: scf.if
// CHECK: %[[D:.*]] = llvm.inttoptr %[[ACC]] : i32 to !llvm.ptr<6>
// CHECK: nvvm.tcgen05.mma %[[D]], %{{.*}}, %{{.*}}, %{{.*}}, %[[ENABLE]] {{{.*}}kind = #nvvm.tcgen05_mma_kind<f16>}
// CHECK-COUNT-3: nvvm.tcgen05.mma
// Releases commit to the operand slots' empty barriers.
// CHECK: nvgpu.mbarrier.get
// CHECK: nvvm.tcgen05.commit
// The accumulator is read after a commit to the MMA-done barrier.
// CHECK: nvvm.tcgen05.commit
// CHECK: nvgpu.mbarrier.try_wait.parity
// CHECK: nvvm.tcgen05.fence <after>
// CHECK: nvvm.tcgen05.ld %{{.*}} {shape = #nvvm.tcgen05_ldst_shape<shape_32x32b>} : vector<8xi32>
// CHECK: nvvm.tcgen05.wait <load>
// Budgets are restored before the join; tensor memory is freed at the end.
// CHECK: nvvm.setmaxregister increase 248
// CHECK: nvvm.tcgen05.dealloc

// PTX: .target sm_100a
// PTX: tcgen05.alloc.cta_group::1.sync.aligned.shared::cta.b32
// PTX: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// PTX: tcgen05.mma.cta_group::1.kind::f16
// PTX: tcgen05.commit.cta_group::1.mbarrier::arrive::one
// PTX: tcgen05.ld.sync.aligned.32x32b.x8.b32
// PTX: tcgen05.dealloc.cta_group::1.sync.aligned.b32
