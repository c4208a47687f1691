// RUN: weft-opt %s -weft-lower-tile-to-arm=variant=sve | FileCheck %s --check-prefix=SVE
// RUN: weft-opt %s -weft-lower-tile-to-arm=variant=sme | FileCheck %s --check-prefix=SME
// RUN: weft-opt %s -weft-lower-tile-to-arm=variant=neon | FileCheck %s --check-prefix=NEON

// The whole CPU pipeline with the Arm kernels, down to the LLVM dialect.
// sve: predicated loads / stores and fused multiply-adds on scalable
// vectors. sme: the dot kernel, and only it, runs in streaming mode with a
// fresh ZA (its caller stays non-streaming); a ZA tile is zeroed, loaded
// slice by slice, accumulated with FMOPA and stored. neon is the generic
// path (no kernel function, scalar fma left to LLVM's vectorizer).

// SVE-NOT: arm_sme
// SVE-LABEL: llvm.func internal @gemm_arm_dot(
// SVE: llvm.intr.vscale
// SVE: llvm.intr.masked.load {{.*}} -> vector<[4]xf32>
// SVE: llvm.intr.masked.load {{.*}} -> vector<[4]xf16>
// SVE: llvm.intr.fma({{.*}}) : (vector<[4]xf32>, vector<[4]xf32>, vector<[4]xf32>) -> vector<[4]xf32>
// SVE: llvm.intr.masked.store {{.*}} : vector<[4]xf32>, vector<[4]xi1>
// SVE-LABEL: llvm.func @gemm(
// SVE: llvm.call @gemm_arm_dot(

// SME-LABEL: llvm.func internal @gemm_arm_dot(
// SME-SAME: arm_locally_streaming
// SME-SAME: arm_new_za
// SME: "arm_sme.intr.zero"
// SME: "arm_sme.intr.ld1w.horiz"
// SME: "arm_sme.intr.mopa"({{.*}}) <{tile_id = 0 : i32}> : (vector<[4]xi1>, vector<[4]xi1>, vector<[4]xf32>, vector<[4]xf32>)
// SME: "arm_sme.intr.st1w.horiz"
// SME-LABEL: llvm.func @gemm(
// SME-NOT: arm_locally_streaming
// SME: llvm.call @gemm_arm_dot(

// NEON-NOT: arm_dot
// NEON-NOT: vscale
// NEON-LABEL: llvm.func @gemm(
// NEON: llvm.intr.fma({{.*}}) : (f32, f32, f32) -> f32
func.func @gemm(%a: memref<16x7xf16>, %b: memref<7x13xf16>, %out: memref<16x13xf32>)
    attributes {weft.grid = array<i64: 1, 1, 1>} {
  %c0 = arith.constant 0 : index
  %at = tile.load %a[%c0, %c0] : memref<16x7xf16> -> tensor<16x7xf16>
  %bt = tile.load %b[%c0, %c0] : memref<7x13xf16> -> tensor<7x13xf16>
  %zero = arith.constant dense<0.0> : tensor<16x13xf32>
  %d = tile.dot %at, %bt, %zero : tensor<16x7xf16>, tensor<7x13xf16> -> tensor<16x13xf32>
  tile.store %d, %out[%c0, %c0] : tensor<16x13xf32>, memref<16x13xf32>
  return
}
