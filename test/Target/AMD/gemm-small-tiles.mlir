// Small tiles (Inputs/gemm-small-nt.mlir): a 64 x 32 accumulator over four
// waves is 16 x 16 MFMA tiles (gfx942: 16x16x16, gfx950: 16x16x32), B is read
// N x K (transpose_rhs, contiguous K runs in LDS), the 32 x 32 B tile is half
// a round of 16-byte copies, and the epilogue adds a loaded C0. Against the
// 700-cycle load latency the solver goes seven stages deep with 8 and 7 LDS
// buffers; the lowering's prologue loads six K tiles ahead.
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %S/Inputs/gemm-small-nt.mlir -weft-attach-machine=target=gfx942 -weft-schedule -weft-specialize -o %t/ws942.mlir
// RUN: weft-run --interpret %t/ws942.mlir --grid=2,3 --arg-sizes=128x96,96x96,128x96,128x96 --scalars=96 --seed=5 \
// RUN:   --check-against=%S/Inputs/gemm-small-nt.mlir --atol=0 --rtol=0 | FileCheck %s --check-prefix=INTERP
// RUN: weft-opt %t/ws942.mlir -weft-convert-pipe-to-amdgpu | FileCheck %s
// RUN: weft-opt %t/ws942.mlir -weft-lower-to-rocdl -o %t/k942.mlir
// RUN: weft-translate --export-hsaco %t/k942.mlir -o %t/k942.hsaco
// RUN: llvm-objdump -d --mcpu=gfx942 %t/k942.hsaco > %t/k942.dis
// RUN: FileCheck %s --check-prefix=ISA942 < %t/k942.dis
// RUN: not grep -E "scratch_|buffer_store" %t/k942.dis
// RUN: weft-opt %S/Inputs/gemm-small-nt.mlir -weft-attach-machine=target=gfx950 -weft-schedule -weft-specialize -o %t/ws950.mlir
// RUN: weft-run --interpret %t/ws950.mlir --grid=2,3 --arg-sizes=128x96,96x96,128x96,128x96 --scalars=96 --seed=5 \
// RUN:   --check-against=%S/Inputs/gemm-small-nt.mlir --atol=0 --rtol=0 | FileCheck %s --check-prefix=INTERP
// RUN: weft-opt %t/ws950.mlir -weft-lower-to-rocdl -o %t/k950.mlir
// RUN: weft-translate --export-hsaco %t/k950.mlir -o %t/k950.hsaco
// RUN: llvm-objdump -d --mcpu=gfx950 %t/k950.hsaco | FileCheck %s --check-prefix=ISA950
// RUN: llvm-readelf --notes %t/k950.hsaco | FileCheck %s --check-prefix=NOTES

// INTERP: arg3: max abs err 0.000e+00, max rel err 0.000e+00: ok
// INTERP: PASS

// CHECK: memref.view {{.*}} to memref<{{[0-9]+}}x64x32xf16, #gpu.address_space<workgroup>>
// CHECK: memref.view {{.*}} to memref<{{[0-9]+}}x32x32xf16, #gpu.address_space<workgroup>>
// The threads past B's 128 pieces skip the LDS write.
// CHECK: arith.minui %{{.*}}, %c127
// CHECK: scf.if
// CHECK: vector.store {{.*}} : memref<{{[0-9]+}}x32x32xf16, #gpu.address_space<workgroup>>, vector<8xf16>
// CHECK: scf.for {{.*}} -> (vector<4xf32>, vector<4xf32>)
// CHECK: vector.load {{.*}} : memref<{{[0-9]+}}x32x32xf16, #gpu.address_space<workgroup>>, vector<4xf16>
// CHECK-COUNT-4: amdgpu.mfma 16x16x16
// Epilogue: register r of lane l is row 4 * (l / 16) + r.
// CHECK: vector.extract %{{.*}}[3] : f32 from vector<4xf32>
// CHECK: memref.load %arg2
// CHECK: arith.addf

// ISA942: v_mfma_f32_16x16x16_f16
// ISA950: v_mfma_f32_16x16x32_f16
// NOTES: .private_segment_fixed_size: 0
// NOTES: .vgpr_spill_count: 0
// NOTES: .wavefront_size: 64
