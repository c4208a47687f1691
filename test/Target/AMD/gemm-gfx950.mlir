// The GEMM + bias + GELU tile program in bf16 on gfx950 (MI355): with 160 KB
// of LDS the solver runs the loads two stages ahead of the MFMAs, with four
// buffers for A and three for B (112 KB); the lowering loads K tile i + 2
// into registers before the MFMAs of tile i and writes it to buffer
// (i + 2) mod 4 / mod 3 after them, one s_barrier per K step. Four waves each
// own a 64x64 corner (2 x 2 MFMA 32x32x16 tiles, CDNA 4's doubled K); the
// epilogue is evaluated on the accumulator fragments in registers. The pipe program agrees with the tile
// program (interpreter); the code object is disassembled and its metadata
// read.
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %S/Inputs/gemm-bias-gelu-bf16.mlir -weft-attach-machine=target=gfx950 \
// RUN:   -weft-schedule -weft-specialize -o %t/ws.mlir
// RUN: weft-run --interpret %t/ws.mlir --grid=2,2 --arg-sizes=200x150,150x230,230,200x230 \
// RUN:   --scalars=150 --seed=11 --check-against=%S/Inputs/gemm-bias-gelu-bf16.mlir --atol=0 --rtol=0 \
// RUN:   | FileCheck %s --check-prefix=INTERP
// RUN: weft-opt %t/ws.mlir -weft-convert-pipe-to-amdgpu | FileCheck %s
// RUN: weft-opt %t/ws.mlir -weft-lower-to-rocdl -o %t/k.mlir
// RUN: FileCheck %s --check-prefix=ROCDL < %t/k.mlir
// RUN: weft-translate --export-hsaco --hsaco-manifest=%t/k.hsaco.json %t/k.mlir -o %t/k.hsaco
// RUN: llvm-objdump -d --mcpu=gfx950 %t/k.hsaco > %t/k.dis
// RUN: FileCheck %s --check-prefix=ISA < %t/k.dis
// RUN: grep -c v_mfma_f32_32x32x16_bf16 %t/k.dis | FileCheck %s --check-prefix=MFMAS
// RUN: not grep -E "scratch_|buffer_store" %t/k.dis
// RUN: llvm-readelf --notes %t/k.hsaco | FileCheck %s --check-prefix=NOTES
// RUN: FileCheck %s --check-prefix=MANIFEST < %t/k.hsaco.json

// INTERP: arg3: max abs err 0.000e+00, max rel err 0.000e+00: ok
// INTERP: PASS

// CHECK: gpu.module @gemm_bias_gelu_kernel [#rocdl.target<O = 3, chip = "gfx950">]
// CHECK-SAME: shared_memory_bytes = 114688
// CHECK: memref.global "private" @__weft_lds : memref<114688xi8, #gpu.address_space<workgroup>>
// CHECK: gpu.func @gemm_bias_gelu({{.*}}) kernel attributes {known_block_size = array<i32: 256, 1, 1>}
// Four buffers for A, three for B.
// CHECK: memref.view {{.*}} to memref<4x128x64xbf16, #gpu.address_space<workgroup>>
// CHECK: memref.view {{.*}} to memref<3x64x128xbf16, #gpu.address_space<workgroup>>
// Prologue: iterations 0 and 1, 16-byte loads (masked at the edges).
// CHECK: vector.load %arg0{{.*}} : memref<?x?xbf16>, vector<8xbf16>
// CHECK: vector.maskedload %arg0
// CHECK: vector.store {{.*}} : memref<4x128x64xbf16, #gpu.address_space<workgroup>>, vector<8xbf16>
// CHECK: vector.store {{.*}} : memref<4x128x64xbf16, #gpu.address_space<workgroup>>, vector<8xbf16>
// The K loop carries the four 32x32 fragments of the wave's corner.
// CHECK: scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: gpu.barrier
// CHECK: vector.maskedload %arg1
// CHECK: rocdl.sched.barrier 0
// CHECK-COUNT-16: amdgpu.mfma 32x32x16
// CHECK: rocdl.sched.barrier 0
// CHECK: arith.remui %{{.*}}, %c3
// CHECK: vector.store {{.*}} : memref<3x64x128xbf16, #gpu.address_space<workgroup>>, vector<8xbf16>
// CHECK: scf.yield
// Epilogue per fragment element: bias, GELU (tanh), cast, masked store.
// CHECK: vector.extract %{{.*}}[0] : f32 from vector<16xf32>
// CHECK: math.tanh
// CHECK: arith.truncf {{.*}} : f32 to bf16
// CHECK: memref.store {{.*}} : memref<?x?xbf16>
// CHECK: gpu.return

// No device-library calls: tanh became exp, exp the LLVM intrinsic.
// ROCDL-NOT: __ocml
// ROCDL: llvm.func @gemm_bias_gelu({{.*}}rocdl.flat_work_group_size = "256,256"
// ROCDL: rocdl.sched.barrier 0
// ROCDL: rocdl.mfma.f32.32x32x16.bf16
// ROCDL: llvm.intr.exp

// The loop's global loads, LDS writes and reads, MFMAs and barrier (LLVM
// rotates the loop, so their order in the listing varies), then the
// epilogue's exponentials; no scratch (checked by grep above).
// ISA: <gemm_bias_gelu>:
// ISA-DAG: global_load_dwordx4
// ISA-DAG: ds_write_b128
// ISA-DAG: ds_read
// ISA-DAG: v_mfma_f32_32x32x16_bf16
// ISA-DAG: s_barrier
// ISA: v_exp_f32
// ISA: s_endpgm
// One K step: 4 MFMA steps of K = 16 for each of the 2 x 2 tiles.
// MFMAS: {{^}}16{{$}}

// NOTES: amdhsa.kernels:
// NOTES: .group_segment_fixed_size: 114688
// NOTES: .name: gemm_bias_gelu
// NOTES: .private_segment_fixed_size: 0
// NOTES: .reqd_workgroup_size:
// NOTES-NEXT: - 256
// NOTES: .sgpr_spill_count: 0
// NOTES: .vgpr_count: {{[0-9]+}}
// NOTES: .vgpr_spill_count: 0
// NOTES: .wavefront_size: 64
// NOTES: amdhsa.target: amdgcn-amd-amdhsa--gfx950

// MANIFEST: "binary": "k.hsaco"
// MANIFEST: "block": [
// MANIFEST-NEXT: 256,
// MANIFEST: "shared_memory_bytes": 114688,
// MANIFEST: "target": "gfx950"

// The same bf16 program on gfx942: MFMA 32x32x8 bf16 (the "_1k" form).
// RUN: weft-opt %S/Inputs/gemm-bias-gelu-bf16.mlir -weft-attach-machine=target=gfx942 \
// RUN:   -weft-schedule -weft-specialize -weft-lower-to-rocdl -o %t/k942.mlir
// RUN: weft-translate --export-hsaco %t/k942.mlir -o %t/k942.hsaco
// RUN: llvm-objdump -d --mcpu=gfx942 %t/k942.hsaco | FileCheck %s --check-prefix=BF942
// BF942: v_mfma_f32_32x32x8_bf16
