// RUN: weft-opt %s -split-input-file -weft-arm-vectorize-dots=variant=sve | FileCheck %s --check-prefix=SVE
// RUN: weft-opt %s -split-input-file -weft-arm-vectorize-dots=variant=sme | FileCheck %s --check-prefix=SME

// A lowered tile.dot (16x7 f16 times 7x13 f16 into f32, as
// weft-convert-tile-to-loops and bufferization leave it) moves into its own
// function. With sve, a block of 4 rows x 4 strips of 4 x vscale lanes
// (13 columns: the strips past the tile's edge are predicated, their
// lane counts clamped at 0) stays in registers across k, innermost, with
// one fused math.fma per row, strip and step; the loads run two k steps
// ahead in a loop unrolled twice (test/Target/Arm/k-loop-schedule.mlir). With sme, one [4]x[4] ZA tile per block, masked
// in both dimensions, one outer product per k step of a column of the
// k-major lhs copy and a row of the rhs.

// SVE-LABEL: func.func private @gemm_arm_dot(
// SVE-SAME: memref<16x7xf16>, %{{.*}}: memref<7x13xf16>, %{{.*}}: memref<16x13xf32, strided<[13, 1], offset: ?>>)
// SVE-SAME: llvm.linkage = #llvm.linkage<internal>
// SVE: %[[VS:.*]] = vector.vscale
// SVE: %[[LANES:.*]] = arith.muli %[[VS]], %c4
// SVE: %[[WIDTH:.*]] = arith.muli %[[LANES]], %c4
// SVE: scf.for %[[M:.*]] = %c0 to %c16 step %c4
// SVE: scf.for %[[N:.*]] = %c0 to %c13{{.*}} step %[[WIDTH]]
// SVE: %[[LEFT0:.*]] = arith.subi %c13{{.*}}, %{{.*}}
// SVE: %[[CLAMP0:.*]] = arith.maxsi %[[LEFT0]], %c0
// SVE: %[[MASK0:.*]] = vector.create_mask %[[CLAMP0]] : vector<[4]xi1>
// SVE-COUNT-3: vector.create_mask {{.*}} : vector<[4]xi1>
// SVE-COUNT-16: vector.maskedload {{.*}} into vector<[4]xf32>
// SVE: %[[LAST:.*]] = arith.constant 6 : index
// SVE-COUNT-2: vector.maskedload {{.*}} into vector<[4]xf16>
// SVE: scf.for %[[K:.*]] = %c0 to %c6{{.*}} step %c2{{.*}} iter_args({{.*}}) -> ({{.*}}vector<[4]xf32>, f32, f32, f32, f32)
// SVE: %[[AHEAD:.*]] = arith.addi %[[K]], %c2
// SVE: %[[CLAMPED:.*]] = arith.minsi %[[AHEAD]], %[[LAST]]
// SVE: vector.maskedload %{{.*}}[%[[CLAMPED]], %{{.*}}], %[[MASK0]], {{.*}} into vector<[4]xf16>
// SVE: arith.extf {{.*}} : vector<[4]xf16> to vector<[4]xf32>
// SVE: vector.broadcast
// SVE-COUNT-4: math.fma {{.*}} : vector<[4]xf32>
// SVE: weft.arm.k_schedule = {distance = {{[0-9]+}} : i64, ii = 4 : i64, prefetch = 2 : i64, stages = {{[0-9]+}} : i64}
// The 7th step (7 = 3 x 2 + 1) follows the loop on the first set in flight.
// SVE-COUNT-16: math.fma
// SVE-NOT: math.fma
// SVE-COUNT-16: vector.maskedstore
// SVE-LABEL: func.func @gemm(
// SVE-NOT: linalg.generic
// SVE: call @gemm_arm_dot(

// SME-LABEL: func.func private @gemm_arm_dot(
// SME: memref.alloca() : memref<7x16xf16>
// SME: %[[VS:.*]] = vector.vscale
// SME: %[[LANES:.*]] = arith.muli %[[VS]], %c4
// SME: scf.for %[[M:.*]] = %c0{{.*}} to %c16{{.*}} step %[[LANES]]
// SME: scf.for %[[N:.*]] = %c0{{.*}} to %c13{{.*}} step %[[LANES]]
// SME: %[[TMASK:.*]] = vector.create_mask {{.*}} : vector<[4]x[4]xi1>
// SME: %[[TILE:.*]] = vector.transfer_read {{.*}}, %[[TMASK]] {in_bounds = [true, true]} {{.*}} vector<[4]x[4]xf32>
// SME: scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[TILE]]) -> (vector<[4]x[4]xf32>)
// SME: %[[COL:.*]] = arith.extf {{.*}} : vector<[4]xf16> to vector<[4]xf32>
// SME: %[[ROW:.*]] = arith.extf {{.*}} : vector<[4]xf16> to vector<[4]xf32>
// SME: vector.mask %[[TMASK]] { vector.outerproduct %[[COL]], %[[ROW]], %[[ACC]] {kind = #vector.kind<add>}
// SME: vector.transfer_write {{.*}}, %[[TMASK]] {in_bounds = [true, true]}
// SME-LABEL: func.func @gemm(
// SME: call @gemm_arm_dot(

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#acc = affine_map<(m, n, k) -> (m, n)>
func.func @gemm(%a: memref<16x7xf16>, %b: memref<7x13xf16>, %c: memref<16x13xf32, strided<[13, 1], offset: ?>>) {
  linalg.generic {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<16x7xf16>, memref<7x13xf16>) outs(%c : memref<16x13xf32, strided<[13, 1], offset: ?>>) {
  ^bb0(%x: f16, %y: f16, %z: f32):
    %xe = arith.extf %x : f16 to f32
    %ye = arith.extf %y : f16 to f32
    %r = math.fma %xe, %ye, %z : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A transposed rhs (n, k) is copied k-major first, so that rhs rows are
// contiguous vector loads.
// SVE-LABEL: func.func private @gemm_nt_arm_dot(
// SVE: memref.alloca() : memref<8x5xf32>
// SVE: math.fma
// SME-LABEL: func.func private @gemm_nt_arm_dot(
// SME: memref.alloca() : memref<8x3xf32>
// SME: memref.alloca() : memref<8x5xf32>
// SME: vector.outerproduct
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (n, k)>
#acc = affine_map<(m, n, k) -> (m, n)>
func.func @gemm_nt(%a: memref<3x8xf32>, %b: memref<5x8xf32>, %c: memref<3x5xf32>) {
  linalg.generic {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<3x8xf32>, memref<5x8xf32>) outs(%c : memref<3x5xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %r = math.fma %x, %y, %z : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Left to the scalar path: integer dots, f16 accumulators, dynamic shapes.
// SVE-LABEL: func.func @not_vectorized(
// SVE-NOT: call
// SVE-COUNT-3: linalg.generic
// SME-LABEL: func.func @not_vectorized(
// SME-NOT: call
// SME-COUNT-3: linalg.generic
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#acc = affine_map<(m, n, k) -> (m, n)>
func.func @not_vectorized(%a: memref<4x4xi8>, %b: memref<4x4xi8>, %c: memref<4x4xi32>,
                          %h: memref<4x4xf16>, %hc: memref<4x4xf16>,
                          %d: memref<?x4xf32>, %e: memref<4x4xf32>, %f: memref<?x4xf32>) {
  linalg.generic {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x4xi8>, memref<4x4xi8>) outs(%c : memref<4x4xi32>) {
  ^bb0(%x: i8, %y: i8, %z: i32):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %r = arith.addi %z, %p : i32
    linalg.yield %r : i32
  }
  linalg.generic {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%h, %h : memref<4x4xf16>, memref<4x4xf16>) outs(%hc : memref<4x4xf16>) {
  ^bb0(%x: f16, %y: f16, %z: f16):
    %r = math.fma %x, %y, %z : f16
    linalg.yield %r : f16
  }
  linalg.generic {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%d, %e : memref<?x4xf32>, memref<4x4xf32>) outs(%f : memref<?x4xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %r = math.fma %x, %y, %z : f32
    linalg.yield %r : f32
  }
  return
}
