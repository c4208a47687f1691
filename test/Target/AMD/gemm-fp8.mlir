// fp8 GEMMs: gfx942 multiplies FNUZ e4m3 (f8E4M3FNUZ), gfx950 OCP e4m3
// (f8E4M3FN), both with v_mfma_f32_32x32x16_fp8_fp8 (eight fp8 per lane);
// 16-byte copies are sixteen elements. The pipe programs agree with the tile
// programs (interpreter); the other chip's fp8 flavour is rejected.
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-opt %S/Inputs/gemm-fp8.mlir -weft-attach-machine=target=gfx942 -weft-schedule -weft-specialize -o %t/ws942.mlir
// RUN: weft-run --interpret %t/ws942.mlir --grid=2,2 --arg-sizes=200x150,150x230,200x230 --scalars=150 --seed=3 \
// RUN:   --check-against=%S/Inputs/gemm-fp8.mlir --atol=0 --rtol=0 | FileCheck %s --check-prefix=INTERP
// RUN: weft-opt %t/ws942.mlir -weft-convert-pipe-to-amdgpu | FileCheck %s
// RUN: weft-opt %t/ws942.mlir -weft-lower-to-rocdl -o %t/k942.mlir
// RUN: weft-translate --export-hsaco %t/k942.mlir -o %t/k942.hsaco
// RUN: llvm-objdump -d --mcpu=gfx942 %t/k942.hsaco > %t/k942.dis
// RUN: FileCheck %s --check-prefix=ISA < %t/k942.dis
// RUN: not grep -E "scratch_|buffer_store" %t/k942.dis
// RUN: llvm-readelf --notes %t/k942.hsaco | FileCheck %s --check-prefix=NOTES
// RUN: sed -e 's/f8E4M3FNUZ/f8E4M3FN/g' %S/Inputs/gemm-fp8.mlir > %t/ocp.mlir
// RUN: weft-opt %t/ocp.mlir -weft-attach-machine=target=gfx950 -weft-schedule -weft-specialize -o %t/ws950.mlir
// RUN: weft-run --interpret %t/ws950.mlir --grid=2,2 --arg-sizes=200x150,150x230,200x230 --scalars=150 --seed=3 \
// RUN:   --check-against=%t/ocp.mlir --atol=0 --rtol=0 | FileCheck %s --check-prefix=INTERP
// RUN: weft-opt %t/ws950.mlir -weft-lower-to-rocdl -o %t/k950.mlir
// RUN: weft-translate --export-hsaco %t/k950.mlir -o %t/k950.hsaco
// RUN: llvm-objdump -d --mcpu=gfx950 %t/k950.hsaco | FileCheck %s --check-prefix=ISA
// RUN: not weft-opt %t/ws942.mlir -weft-convert-pipe-to-amdgpu=chip=gfx950 2>&1 | FileCheck %s --check-prefix=FNUZ

// INTERP: arg2: max abs err 0.000e+00, max rel err 0.000e+00: ok
// INTERP: PASS

// CHECK: memref.view {{.*}} to memref<{{[0-9]+}}x128x64xf8E4M3FNUZ, #gpu.address_space<workgroup>>
// CHECK: scf.for
// CHECK: vector.maskedload %arg0{{.*}} into vector<16xf8E4M3FNUZ>
// CHECK: vector.load {{.*}}, vector<8xf8E4M3FNUZ>
// CHECK-COUNT-16: amdgpu.mfma 32x32x16 {{.*}} : vector<8xf8E4M3FNUZ>, vector<8xf8E4M3FNUZ>, vector<16xf32>

// ISA: v_mfma_f32_32x32x16_fp8_fp8
// NOTES: .private_segment_fixed_size: 0
// NOTES: .vgpr_spill_count: 0

// FNUZ: error: MFMA operands are 2-D f16 / bf16 / fp8 (OCP) tiles on gfx950
