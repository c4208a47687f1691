// RUN: weft-opt %s -weft-convert-tile-to-loops -split-input-file -verify-diagnostics

// A program id needs a launch grid to range over.
func.func @no_grid(%out: memref<4xf32>) {
  // expected-error @+1 {{program @no_grid uses its program id but has no `weft.grid` attribute}}
  %pid = tile.program_id x
  %t = arith.constant dense<1.0> : tensor<4xf32>
  tile.store %t, %out[%pid] masked : tensor<4xf32>, memref<4xf32>
  return
}

// -----

// expected-error @+1 {{`weft.grid` must be three positive sizes}}
func.func @bad_grid(%out: memref<4xf32>) attributes {weft.grid = array<i64: 2, 0, 1>} {
  %pid = tile.program_id x
  %t = arith.constant dense<1.0> : tensor<4xf32>
  tile.store %t, %out[%pid] masked : tensor<4xf32>, memref<4xf32>
  return
}
