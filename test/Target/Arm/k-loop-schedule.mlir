// RUN: weft-opt %s -split-input-file -weft-arm-vectorize-dots=variant=sve | FileCheck %s
// RUN: weft-opt %s -split-input-file -weft-arm-vectorize-dots="variant=sve prefetch=0" | FileCheck %s --check-prefix=FLAT

// The k loop of the SVE kernel is software-pipelined as the schedule
// solver's modulo schedule of one k step on the Neoverse V2 model says. A
// 16x16 f32 tile: a 4 x 4 block of 16 FMAs (128 FLOP) takes the four FMA
// pipes 4 cycles, and each accumulator waits one FMLA latency (4) for its
// previous step, so II = 4. The loads share the load pipes (the strips,
// 64 B at 48 B/cycle, in cycles 0-1, the lhs elements in cycle 2) and
// arrive 6 cycles later, at cycle 8: the FMAs sit two stages after them.
// So the loads of step k + 2 are issued before the FMAs of step k, whose
// operands (4 strips, 4 lhs elements per step) ride in iter_args from a
// two-step prologue; the loop is unrolled twice so that each sub-step
// consumes one in-flight set and yields its replacement in the same slot
// (modulo variable expansion: no register moves).

// CHECK-LABEL: func.func private @f32_tile_arm_dot(
// CHECK: %[[LAST:.*]] = arith.constant 15 : index
// CHECK: %[[K0:.*]] = arith.minsi %c0{{.*}}, %[[LAST]]
// CHECK-COUNT-4: vector.maskedload %{{.*}}[%[[K0]], %{{.*}}], {{.*}} into vector<[4]xf32>
// CHECK-COUNT-4: memref.load %{{.*}}[%{{.*}}, %[[K0]]]
// CHECK: %[[K1:.*]] = arith.minsi %c1{{.*}}, %[[LAST]]
// CHECK-COUNT-4: vector.maskedload %{{.*}}[%[[K1]], %{{.*}}], {{.*}} into vector<[4]xf32>
// CHECK-COUNT-4: memref.load %{{.*}}[%{{.*}}, %[[K1]]]
// CHECK: scf.for %[[K:.*]] = %c0{{.*}} to %c16{{.*}} step %c2{{.*}} iter_args(
// CHECK-SAME: -> ({{(vector<\[4\]xf32>, ){20}f32}}, f32, f32, f32, {{(vector<\[4\]xf32>, ){4}f32}}, f32, f32, f32)
// CHECK: %[[NEXT:.*]] = arith.addi %[[K]], %c2
// CHECK: %[[AHEAD:.*]] = arith.minsi %[[NEXT]], %[[LAST]]
// CHECK-COUNT-4: vector.maskedload %{{.*}}[%[[AHEAD]], %{{.*}}]
// CHECK-COUNT-4: memref.load %{{.*}}[%{{.*}}, %[[AHEAD]]]
// CHECK: vector.broadcast
// CHECK-COUNT-4: math.fma
// CHECK: %[[NEXT2:.*]] = arith.addi %[[K]], %c3
// CHECK: %[[AHEAD2:.*]] = arith.minsi %[[NEXT2]], %[[LAST]]
// CHECK-COUNT-4: vector.maskedload %{{.*}}[%[[AHEAD2]], %{{.*}}]
// CHECK: vector.broadcast
// CHECK-COUNT-4: math.fma
// CHECK: scf.yield
// CHECK-NEXT: } {weft.arm.k_schedule = {distance = 2 : i64, ii = 4 : i64, prefetch = 2 : i64, stages = 4 : i64}}
// 16 steps are a multiple of 2: nothing follows the loop but the stores.
// CHECK-NOT: math.fma
// CHECK: vector.maskedstore

// Without pipelining the loads of step k sit inside step k.
// FLAT-LABEL: func.func private @f32_tile_arm_dot(
// FLAT: scf.for %[[K:.*]] = %c0{{.*}} to %c16{{.*}} step %c1{{.*}} iter_args(
// FLAT-SAME: -> ({{(vector<\[4\]xf32>, ){15}vector}}<[4]xf32>) {
// FLAT: %[[AT:.*]] = arith.minsi %[[K]],
// FLAT: vector.maskedload %{{.*}}[%[[AT]], %{{.*}}]
// FLAT-NOT: weft.arm.k_schedule
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#acc = affine_map<(m, n, k) -> (m, n)>
func.func @f32_tile(%a: memref<16x16xf32>, %b: memref<16x16xf32>, %c: memref<16x16xf32>) {
  linalg.generic {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<16x16xf32>, memref<16x16xf32>) outs(%c : memref<16x16xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %r = math.fma %x, %y, %z : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// f16 operands add a conversion between loads and FMAs: the FMAs move three
// stages behind the loads, and the distance used is capped at two steps
// (each step in flight holds 8 values in registers next to the 16
// accumulators).
// CHECK-LABEL: func.func private @f16_tile_arm_dot(
// CHECK: weft.arm.k_schedule = {distance = 3 : i64, ii = 4 : i64, prefetch = 2 : i64, stages = 5 : i64}
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#acc = affine_map<(m, n, k) -> (m, n)>
func.func @f16_tile(%a: memref<16x16xf16>, %b: memref<16x16xf16>, %c: memref<16x16xf32>) {
  linalg.generic {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<16x16xf16>, memref<16x16xf16>) outs(%c : memref<16x16xf32>) {
  ^bb0(%x: f16, %y: f16, %z: f32):
    %xe = arith.extf %x : f16 to f32
    %ye = arith.extf %y : f16 to f32
    %r = math.fma %xe, %ye, %z : f32
    linalg.yield %r : f32
  }
  return
}
