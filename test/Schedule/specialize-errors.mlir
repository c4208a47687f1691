// weft-specialize needs weft-schedule's annotations and a loop it can split.
// RUN: weft-opt %s -split-input-file -weft-specialize -verify-diagnostics

func.func @not_scheduled(%x: tensor<64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{needs a #pipe.schedule and pipe.groups; run weft-schedule first}}
  scf.for %i = %c0 to %n step %c1 {
  } {pipe.schedule = #pipe.schedule<ii = 1, lower_bound = 1, proven_optimal = true, stages = 1, length = 1, ii_cycles = 1, partitions = 1>}
  return
}

// -----

func.func @unplaced_effect(%m: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %f = arith.constant 0.0 : f32
    // expected-error @+1 {{has side effects but no pipe.placement; run weft-schedule first}}
    memref.store %f, %m[%i] : memref<?xf32>
  } {pipe.schedule = #pipe.schedule<ii = 1, lower_bound = 1, proven_optimal = true, stages = 1, length = 1, ii_cycles = 1, partitions = 1>, pipe.groups = [#pipe.group<role = compute, registers = 32, needed = 0>]}
  return
}

// -----

func.func @bad_partition(%x: tensor<4xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @+1 {{placed on partition 3 but the schedule has 1}}
    %y = arith.addf %x, %x {pipe.placement = #pipe.placement<stage = 0, cycle = 0, partition = 3>} : tensor<4xf32>
  } {pipe.schedule = #pipe.schedule<ii = 1, lower_bound = 1, proven_optimal = true, stages = 1, length = 1, ii_cycles = 1, partitions = 1>, pipe.groups = [#pipe.group<role = compute, registers = 32, needed = 0>]}
  return
}
