// Packed bytes of weft-pack-weights against an independent numpy reference
// (Inputs/pack_weights_ref.py: PTX / MFMA fragment tables, ggml's repack),
// on pseudo-random int4 weights, including a shape that needs padding.
//
// RUN: %python %S/Inputs/pack_weights_ref.py input sm_90a > %t.sm90.mlir
// RUN: %python %S/Inputs/pack_weights_ref.py checks sm_90a > %t.sm90.check
// RUN: weft-opt %t.sm90.mlir -weft-pack-weights=target=sm_90a \
// RUN:   --mlir-print-elementsattrs-with-hex-if-larger=0 | FileCheck %t.sm90.check
//
// RUN: %python %S/Inputs/pack_weights_ref.py input gfx942 > %t.gfx942.mlir
// RUN: %python %S/Inputs/pack_weights_ref.py checks gfx942 > %t.gfx942.check
// RUN: weft-opt %t.gfx942.mlir -weft-pack-weights=target=gfx942 \
// RUN:   --mlir-print-elementsattrs-with-hex-if-larger=0 | FileCheck %t.gfx942.check
//
// RUN: %python %S/Inputs/pack_weights_ref.py input aarch64 > %t.arm.mlir
// RUN: %python %S/Inputs/pack_weights_ref.py checks aarch64 > %t.arm.check
// RUN: weft-opt %t.arm.mlir -weft-pack-weights=target=aarch64 \
// RUN:   --mlir-print-elementsattrs-with-hex-if-larger=0 | FileCheck %t.arm.check
