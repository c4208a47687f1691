// weft-schedule rejects what they cannot handle with a
// located error, never a crash.
// RUN: weft-opt %s -split-input-file -weft-schedule -verify-diagnostics
// RUN: not weft-opt %s -split-input-file -weft-schedule=target=sm_99 2>&1 | FileCheck %s --check-prefix=TARGET

// TARGET: error: unknown machine 'sm_99'; known machines: sm_80, sm_90a, sm_100a, gfx942, gfx950, arm-sme2

// A machine that cannot run exponentials: the op that needs one is named.
#noexp = #pipe.machine<"noexp", units = [<"alu", count = 1, rate = 128>],
    kinds = [<"alu", unit = "alu", measure = elements>],
    smem_bytes = 65536, tmem_columns = 0, register_file = 65536, max_registers = 255,
    max_warps = 32, warp_group_size = 4, handoff_cycles = 0>
func.func @unbound_kind(%x: tensor<64x64xf32>, %n: index) -> tensor<64x64xf32> attributes {pipe.machine = #noexp} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%t = %x) -> tensor<64x64xf32> {
    %a = arith.addf %t, %t : tensor<64x64xf32>
    // expected-error @+1 {{cannot schedule on machine 'noexp': machine 'noexp' has no unit for op kind 'exp'}}
    %e = math.exp %a : tensor<64x64xf32>
    %b = tile.broadcast %e [] : tensor<64x64xf32> -> tensor<64x64xf32>
    scf.yield %b : tensor<64x64xf32>
  }
  return %r : tensor<64x64xf32>
}


// -----

// Without a pipe.machine the `target` preset is used (sm_90a by default).
func.func @default_target(%a: memref<?x?xf16>, %n: index) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  scf.for %i = %c0 to %n step %c64 {
    %t = tile.load %a[%i, %c0] : memref<?x?xf16> -> tensor<64x64xf16>
    %u = arith.addf %t, %t : tensor<64x64xf16>
  }
  return
}

// -----

// Two 16 KiB operand tiles do not fit 16 KiB of shared memory: there is no
// schedule, and the error says so instead of returning one that ignores the
// capacity.
#tiny = #pipe.machine<"tiny", units = [<"tma", count = 1, rate = 64>, <"tc", count = 1, rate = 4096, latency = 64>],
    kinds = [<"tma_load", unit = "tma", measure = bytes, issue = 2, extra_latency = 600, completion = variable>,
             <"mma", unit = "tc", measure = flops, issue = 8, completion = async>],
    smem_bytes = 16384, tmem_columns = 0, register_file = 65536, max_registers = 255,
    max_warps = 32, warp_group_size = 4, register_budgets = [24, 240], handoff_cycles = 64>
func.func @too_little_smem(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %k: index) attributes {pipe.machine = #tiny} {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  // expected-error @+1 {{cannot schedule loop on machine 'tiny': no schedule fits machine 'tiny' (shared memory, tensor memory, registers or warps)}}
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%c0, %kk] : memref<?x?xf16> -> tensor<128x64xf16>
    %bt = tile.load %b[%kk, %c0] : memref<?x?xf16> -> tensor<64x128xf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<128x64xf16>, tensor<64x128xf16> -> tensor<128x128xf32>
    scf.yield %d : tensor<128x128xf32>
  }
  return
}
