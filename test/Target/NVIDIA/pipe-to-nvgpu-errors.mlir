// What weft-convert-pipe-to-nvgpu cannot lower is a located error and a
// non-zero exit: wgmma operands without 128-byte rows, channels that do not
// fit in shared memory, ops it has no lowering for, machines that are not
// NVIDIA chips, tcgen05 tiles of other than 128 rows, bf16 mma.sync,
// accumulators that do not start at zero, and a missing machine model;
// then hand-written pipe programs (diagnostics.mlir, -verify-diagnostics): a
// TMA copy of a value that is not a kernel argument, a channel filled by
// copies and by threads, 16 partitions (15 named barriers), setmaxnreg
// budgets below 24 and above 256 (a machine model that allows them), an
// attention partition whose wgmma operand was never put in a channel,
// register fragments in a warp group that is not aligned, and a tensor-memory
// channel on a chip without tensor memory.
// RUN: split-file %s %t
// RUN: weft-opt %t/narrow-k.mlir -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize -mlir-print-debuginfo -o %t/narrow-k.ws.mlir
// RUN: not weft-opt %t/narrow-k.ws.mlir -weft-convert-pipe-to-nvgpu 2>&1 | FileCheck %s --check-prefix=NARROW
// Deeper channels than the schedule chose: 14 slots of each tile.
// RUN: weft-opt %S/Inputs/gemm-bias-gelu.mlir -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize \
// RUN:   | sed -e 's/depth = [0-9]*, shared>/depth = 14, shared>/g' > %t/too-big.ws.mlir
// RUN: not weft-opt %t/too-big.ws.mlir -weft-convert-pipe-to-nvgpu 2>&1 | FileCheck %s --check-prefix=SMEM
// RUN: weft-opt %t/reduce.mlir -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize -mlir-print-debuginfo -o %t/reduce.ws.mlir
// RUN: not weft-opt %t/reduce.ws.mlir -weft-convert-pipe-to-nvgpu 2>&1 | FileCheck %s --check-prefix=REDUCE
// RUN: weft-opt %t/narrow-k.mlir -weft-attach-machine=target=gfx942 -weft-schedule -weft-specialize -mlir-print-debuginfo -o %t/amd.ws.mlir
// RUN: not weft-opt %t/amd.ws.mlir -weft-convert-pipe-to-nvgpu 2>&1 | FileCheck %s --check-prefix=AMD
// tcgen05 on one CTA needs 128-row tiles.
// RUN: weft-opt %S/../../../docs/examples/gemm_epilogue.mlir -weft-graph-fusion \
// RUN:   -weft-tile-kernels=tile-m=64\ tile-n=128\ tile-k=64 -weft-attach-machine=target=sm_100a \
// RUN:   -weft-schedule -weft-specialize -o %t/rows64.ws.mlir
// RUN: not weft-opt %t/rows64.ws.mlir -weft-convert-pipe-to-nvgpu 2>&1 | FileCheck %s --check-prefix=ROWS
// Upstream mma.sync has no bf16 lowering: the benchmark's bf16 GEMM on sm_80.
// RUN: weft-opt %S/../../../bench/kernels/gemm_bf16.mlir -weft-attach-machine=target=sm_80 \
// RUN:   -weft-schedule -weft-specialize -mlir-print-debuginfo -o %t/bf16.ws.mlir
// RUN: not weft-opt %t/bf16.ws.mlir -weft-convert-pipe-to-nvgpu 2>&1 | FileCheck %s --check-prefix=BF16
// An accumulator that does not start at zero.
// RUN: weft-opt %t/ones.mlir -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize -o %t/ones.ws.mlir
// RUN: not weft-opt %t/ones.ws.mlir -weft-convert-pipe-to-nvgpu 2>&1 | FileCheck %s --check-prefix=ONES
// A warp_specialize without a machine model.
// RUN: weft-opt %t/no-machine.mlir -weft-convert-pipe-to-nvgpu -verify-diagnostics
// RUN: weft-opt %t/diagnostics.mlir -split-input-file -weft-convert-pipe-to-nvgpu -verify-diagnostics

// NARROW: narrow-k.mlir:{{[0-9]+}}:10: error: wgmma operands need 128-byte swizzled rows: K tile of 64 bytes (use a K tile of 128 bytes, e.g. 64 elements)
// SMEM: error: channels need {{[0-9]+}} bytes of shared memory; sm_90a has 232448
// REDUCE: reduce.mlir:{{[0-9]+}}:{{[0-9]+}}: error: 'tile.reduce' is not lowered to NVIDIA kernels yet (sm_90a)
// AMD: error: machine 'gfx942' is not an NVIDIA chip
// ROWS: error: tcgen05.mma on one CTA computes 128 x N tiles, N a multiple of 16 up to 256, not 64 x 128
// BF16: gemm_bf16.mlir:{{[0-9]+}}:{{[0-9]+}}: error: mma.sync GEMMs take f16 operands into f32 on sm_80
// ONES: error: a loop-carried tile must be a wgmma accumulator starting at zero

//--- narrow-k.mlir
func.func @gemm(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>, %k: index) {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %c128 = arith.constant 128 : index
  %px = tile.program_id x
  %m = arith.muli %px, %c128 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c32 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%m, %kk] : memref<?x?xf16> -> tensor<128x32xf16>
    %bt = tile.load %b[%kk, %c0] : memref<?x?xf16> -> tensor<32x128xf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<128x32xf16>, tensor<32x128xf16> -> tensor<128x128xf32>
    scf.yield %d : tensor<128x128xf32>
  }
  tile.store %acc, %c[%m, %c0] : tensor<128x128xf32>, memref<?x?xf32>
  return
}

//--- reduce.mlir
func.func @rowmax(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?xf32>, %k: index) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%c0, %kk] : memref<?x?xf16> -> tensor<128x64xf16>
    %bt = tile.load %b[%kk, %c0] : memref<?x?xf16> -> tensor<64x128xf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<128x64xf16>, tensor<64x128xf16> -> tensor<128x128xf32>
    scf.yield %d : tensor<128x128xf32>
  }
  %m = tile.reduce max %acc axis = 1 : tensor<128x128xf32>
  tile.store %m, %c[%c0] : tensor<128xf32>, memref<?xf32>
  return
}

//--- ones.mlir
func.func @gemm(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>, %k: index) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %one = arith.constant dense<1.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%acc_it = %one) -> tensor<128x128xf32> {
    %at = tile.load %a[%c0, %kk] : memref<?x?xf16> -> tensor<128x64xf16>
    %bt = tile.load %b[%kk, %c0] : memref<?x?xf16> -> tensor<64x128xf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<128x64xf16>, tensor<64x128xf16> -> tensor<128x128xf32>
    scf.yield %d : tensor<128x128xf32>
  }
  tile.store %acc, %c[%c0, %c0] : tensor<128x128xf32>, memref<?x?xf32>
  return
}

//--- no-machine.mlir
func.func @k() {
  // expected-error @+1 {{needs a machine (run weft-schedule with a machine model)}}
  pipe.warp_specialize {
    pipe.partition load warps = 4 {
    }
  }
  return
}

//--- diagnostics.mlir
#sm_90a = #pipe.machine<"sm_90a", units = [<"tensor", count = 1, rate = 4096, latency = 64>, <"sfu", count = 1, rate = 16, latency = 16>, <"alu", count = 1, rate = 128, latency = 8>, <"tma", count = 1, rate = 64>], kinds = [<"mma", unit = "tensor", measure = flops, issue = 8, completion = async>, <"tma_load", unit = "tma", measure = bytes, issue = 2, extra_latency = 600, completion = variable>, <"tma_store", unit = "tma", measure = bytes, issue = 2, completion = async>, <"exp", unit = "sfu", measure = elements>, <"alu", unit = "alu", measure = elements>, <"reduce", unit = "alu", measure = elements, extra_latency = 24>, <"convert", unit = "alu", measure = elements>, <"exp_poly", unit = "alu", measure = elements, work_scale = 8>], smem_bytes = 232448, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, register_budgets = [24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128, 136, 144, 152, 160, 168, 176, 184, 192, 200, 208, 216, 224, 232, 240, 248], handoff_cycles = 64>
func.func @tma_source(%a: memref<128x64xf16>) {
  %c0 = arith.constant 0 : index
  %ch = pipe.create_channel : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
  %dyn = memref.cast %a : memref<128x64xf16> to memref<?x?xf16>
  pipe.warp_specialize machine = #sm_90a {
    pipe.partition load warps = 4 {
      // expected-error @+1 {{a TMA copy needs its source to be a kernel argument}}
      %t = tile.load %dyn[%c0, %c0] : memref<?x?xf16> -> tensor<128x64xf16>
      pipe.put %t, %ch : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
    }
    pipe.partition consumer warps = 4 {
      %g = pipe.get %ch : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
      pipe.release %ch : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
    }
  }
  return
}

// -----

#sm_90a = #pipe.machine<"sm_90a", units = [<"tensor", count = 1, rate = 4096, latency = 64>, <"sfu", count = 1, rate = 16, latency = 16>, <"alu", count = 1, rate = 128, latency = 8>, <"tma", count = 1, rate = 64>], kinds = [<"mma", unit = "tensor", measure = flops, issue = 8, completion = async>, <"tma_load", unit = "tma", measure = bytes, issue = 2, extra_latency = 600, completion = variable>, <"tma_store", unit = "tma", measure = bytes, issue = 2, completion = async>, <"exp", unit = "sfu", measure = elements>, <"alu", unit = "alu", measure = elements>, <"reduce", unit = "alu", measure = elements, extra_latency = 24>, <"convert", unit = "alu", measure = elements>, <"exp_poly", unit = "alu", measure = elements, work_scale = 8>], smem_bytes = 232448, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, register_budgets = [24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128, 136, 144, 152, 160, 168, 176, 184, 192, 200, 208, 216, 224, 232, 240, 248], handoff_cycles = 64>
func.func @both_ways(%a: memref<?x?xf16>) {
  %c0 = arith.constant 0 : index
  %ones = arith.constant dense<1.0> : tensor<128x64xf16>
  %ch = pipe.create_channel : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
  pipe.warp_specialize machine = #sm_90a {
    pipe.partition load warps = 4 {
      %t = tile.load %a[%c0, %c0] : memref<?x?xf16> -> tensor<128x64xf16>
      // Use lists run newest first: the copy is the odd one out.
      // expected-error @+1 {{a channel is filled either by TMA copies or by threads, not both}}
      pipe.put %t, %ch : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
      pipe.put %ones, %ch : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
    }
    pipe.partition consumer warps = 4 {
      %g = pipe.get %ch : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
      pipe.release %ch : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
      %h = pipe.get %ch : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
      pipe.release %ch : !pipe.channel<tensor<128x64xf16>, depth = 2, shared>
    }
  }
  return
}

// -----

#sm_90a = #pipe.machine<"sm_90a", units = [<"tensor", count = 1, rate = 4096, latency = 64>, <"sfu", count = 1, rate = 16, latency = 16>, <"alu", count = 1, rate = 128, latency = 8>, <"tma", count = 1, rate = 64>], kinds = [<"mma", unit = "tensor", measure = flops, issue = 8, completion = async>, <"tma_load", unit = "tma", measure = bytes, issue = 2, extra_latency = 600, completion = variable>, <"tma_store", unit = "tma", measure = bytes, issue = 2, completion = async>, <"exp", unit = "sfu", measure = elements>, <"alu", unit = "alu", measure = elements>, <"reduce", unit = "alu", measure = elements, extra_latency = 24>, <"convert", unit = "alu", measure = elements>, <"exp_poly", unit = "alu", measure = elements, work_scale = 8>], smem_bytes = 232448, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, register_budgets = [24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128, 136, 144, 152, 160, 168, 176, 184, 192, 200, 208, 216, 224, 232, 240, 248], handoff_cycles = 64>
func.func @sixteen() {
  pipe.warp_specialize machine = #sm_90a {
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    pipe.partition consumer warps = 1 {
    }
    // expected-error @+1 {{more than 15 partitions}}
    pipe.partition consumer warps = 1 {
    }
  }
  return
}

// -----

// A machine model whose budgets setmaxnreg cannot take.
#odd = #pipe.machine<"sm_90a", units = [<"tensor", count = 1, rate = 4096, latency = 64>, <"sfu", count = 1, rate = 16, latency = 16>, <"alu", count = 1, rate = 128, latency = 8>, <"tma", count = 1, rate = 64>], kinds = [<"mma", unit = "tensor", measure = flops, issue = 8, completion = async>, <"tma_load", unit = "tma", measure = bytes, issue = 2, extra_latency = 600, completion = variable>, <"tma_store", unit = "tma", measure = bytes, issue = 2, completion = async>, <"exp", unit = "sfu", measure = elements>, <"alu", unit = "alu", measure = elements>, <"reduce", unit = "alu", measure = elements, extra_latency = 24>, <"convert", unit = "alu", measure = elements>, <"exp_poly", unit = "alu", measure = elements, work_scale = 8>], smem_bytes = 232448, tmem_columns = 0, register_file = 65536, max_registers = 264, max_warps = 32, warp_group_size = 4, register_budgets = [16, 264, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128, 136, 144, 152, 160, 168, 176, 184, 192, 200, 208, 216, 224, 232, 240, 248], handoff_cycles = 64>
func.func @budget_low() {
  pipe.warp_specialize machine = #odd {
    // expected-error @+1 {{setmaxnreg takes a multiple of 8 in [24, 256], not 16}}
    pipe.partition load warps = 4 registers = 16 {
    }
    pipe.partition consumer warps = 4 {
    }
  }
  return
}

// -----

// A machine model whose budgets setmaxnreg cannot take.
#odd = #pipe.machine<"sm_90a", units = [<"tensor", count = 1, rate = 4096, latency = 64>, <"sfu", count = 1, rate = 16, latency = 16>, <"alu", count = 1, rate = 128, latency = 8>, <"tma", count = 1, rate = 64>], kinds = [<"mma", unit = "tensor", measure = flops, issue = 8, completion = async>, <"tma_load", unit = "tma", measure = bytes, issue = 2, extra_latency = 600, completion = variable>, <"tma_store", unit = "tma", measure = bytes, issue = 2, completion = async>, <"exp", unit = "sfu", measure = elements>, <"alu", unit = "alu", measure = elements>, <"reduce", unit = "alu", measure = elements, extra_latency = 24>, <"convert", unit = "alu", measure = elements>, <"exp_poly", unit = "alu", measure = elements, work_scale = 8>], smem_bytes = 232448, tmem_columns = 0, register_file = 65536, max_registers = 264, max_warps = 32, warp_group_size = 4, register_budgets = [16, 264, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128, 136, 144, 152, 160, 168, 176, 184, 192, 200, 208, 216, 224, 232, 240, 248], handoff_cycles = 64>
func.func @budget_high() {
  pipe.warp_specialize machine = #odd {
    pipe.partition load warps = 4 {
    }
    // expected-error @+1 {{setmaxnreg takes a multiple of 8 in [24, 256], not 264}}
    pipe.partition consumer warps = 4 registers = 264 {
    }
  }
  return
}

// -----

#sm_90a = #pipe.machine<"sm_90a", units = [<"tensor", count = 1, rate = 4096, latency = 64>, <"sfu", count = 1, rate = 16, latency = 16>, <"alu", count = 1, rate = 128, latency = 8>, <"tma", count = 1, rate = 64>], kinds = [<"mma", unit = "tensor", measure = flops, issue = 8, completion = async>, <"tma_load", unit = "tma", measure = bytes, issue = 2, extra_latency = 600, completion = variable>, <"tma_store", unit = "tma", measure = bytes, issue = 2, completion = async>, <"exp", unit = "sfu", measure = elements>, <"alu", unit = "alu", measure = elements>, <"reduce", unit = "alu", measure = elements, extra_latency = 24>, <"convert", unit = "alu", measure = elements>, <"exp_poly", unit = "alu", measure = elements, work_scale = 8>], smem_bytes = 232448, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, register_budgets = [24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128, 136, 144, 152, 160, 168, 176, 184, 192, 200, 208, 216, 224, 232, 240, 248], handoff_cycles = 64>
func.func @unchanneled(%q: memref<?x64xbf16>, %k: memref<?x64xbf16>, %o: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %zs = arith.constant dense<0.0> : tensor<64x128xf32>
  %qt = tile.load %q[%c0, %c0] : memref<?x64xbf16> -> tensor<64x64xbf16>
  %ch = pipe.create_channel : !pipe.channel<tensor<64xf32>, depth = 1, shared>
  pipe.warp_specialize machine = #sm_90a {
    pipe.partition consumer warps = 4 {
      // expected-error @+1 {{wgmma reads tiles loaded inside a partition through channels (the schedule did not move this load to a producer)}}
      %kt = tile.load %k[%c0, %c0] : memref<?x64xbf16> -> tensor<128x64xbf16>
      %s = tile.dot %qt, %kt, %zs transpose_rhs : tensor<64x64xbf16>, tensor<128x64xbf16> -> tensor<64x128xf32>
      %m = tile.reduce max %s axis = 1 : tensor<64x128xf32>
      pipe.put %m, %ch : !pipe.channel<tensor<64xf32>, depth = 1, shared>
    }
  }
  %r = pipe.get %ch : !pipe.channel<tensor<64xf32>, depth = 1, shared>
  tile.store %r, %o[%c0] : tensor<64xf32>, memref<?xf32>
  pipe.release %ch : !pipe.channel<tensor<64xf32>, depth = 1, shared>
  return
}

// -----

#sm_90a = #pipe.machine<"sm_90a", units = [<"tensor", count = 1, rate = 4096, latency = 64>, <"sfu", count = 1, rate = 16, latency = 16>, <"alu", count = 1, rate = 128, latency = 8>, <"tma", count = 1, rate = 64>], kinds = [<"mma", unit = "tensor", measure = flops, issue = 8, completion = async>, <"tma_load", unit = "tma", measure = bytes, issue = 2, extra_latency = 600, completion = variable>, <"tma_store", unit = "tma", measure = bytes, issue = 2, completion = async>, <"exp", unit = "sfu", measure = elements>, <"alu", unit = "alu", measure = elements>, <"reduce", unit = "alu", measure = elements, extra_latency = 24>, <"convert", unit = "alu", measure = elements>, <"exp_poly", unit = "alu", measure = elements, work_scale = 8>], smem_bytes = 232448, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, register_budgets = [24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128, 136, 144, 152, 160, 168, 176, 184, 192, 200, 208, 216, 224, 232, 240, 248], handoff_cycles = 64>
func.func @fragment_warps(%q: memref<?x64xbf16>, %k: memref<?x64xbf16>, %o: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %zs = arith.constant dense<0.0> : tensor<64x128xf32>
  %qt = tile.load %q[%c0, %c0] : memref<?x64xbf16> -> tensor<64x64xbf16>
  %kc = pipe.create_channel : !pipe.channel<tensor<128x64xbf16>, depth = 2, shared>
  %ch = pipe.create_channel : !pipe.channel<tensor<64xf32>, depth = 1, shared>
  pipe.warp_specialize machine = #sm_90a {
    pipe.partition load warps = 1 {
      %kt = tile.load %k[%c0, %c0] : memref<?x64xbf16> -> tensor<128x64xbf16>
      pipe.put %kt, %kc : !pipe.channel<tensor<128x64xbf16>, depth = 2, shared>
    }
    pipe.partition consumer warps = 4 {
      %kt = pipe.get %kc : !pipe.channel<tensor<128x64xbf16>, depth = 2, shared>
      // expected-error @+1 {{a partition holding register fragments must start at a warp-group boundary, not at warp 1}}
      %s = tile.dot %qt, %kt, %zs transpose_rhs : tensor<64x64xbf16>, tensor<128x64xbf16> -> tensor<64x128xf32>
      pipe.release %kc : !pipe.channel<tensor<128x64xbf16>, depth = 2, shared>
      %m = tile.reduce max %s axis = 1 : tensor<64x128xf32>
      pipe.put %m, %ch : !pipe.channel<tensor<64xf32>, depth = 1, shared>
    }
  }
  %r = pipe.get %ch : !pipe.channel<tensor<64xf32>, depth = 1, shared>
  tile.store %r, %o[%c0] : tensor<64xf32>, memref<?xf32>
  pipe.release %ch : !pipe.channel<tensor<64xf32>, depth = 1, shared>
  return
}

// -----

#sm_90a = #pipe.machine<"sm_90a", units = [<"tensor", count = 1, rate = 4096, latency = 64>, <"sfu", count = 1, rate = 16, latency = 16>, <"alu", count = 1, rate = 128, latency = 8>, <"tma", count = 1, rate = 64>], kinds = [<"mma", unit = "tensor", measure = flops, issue = 8, completion = async>, <"tma_load", unit = "tma", measure = bytes, issue = 2, extra_latency = 600, completion = variable>, <"tma_store", unit = "tma", measure = bytes, issue = 2, completion = async>, <"exp", unit = "sfu", measure = elements>, <"alu", unit = "alu", measure = elements>, <"reduce", unit = "alu", measure = elements, extra_latency = 24>, <"convert", unit = "alu", measure = elements>, <"exp_poly", unit = "alu", measure = elements, work_scale = 8>], smem_bytes = 232448, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, register_budgets = [24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120, 128, 136, 144, 152, 160, 168, 176, 184, 192, 200, 208, 216, 224, 232, 240, 248], handoff_cycles = 64>
func.func @tensor_memory_without_tcgen05(%a: memref<?x?xf32>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{only shared-memory channels are lowered on sm_90a}}
  %ch = pipe.create_channel : !pipe.channel<tensor<128x64xf32>, depth = 1, tensor>
  pipe.warp_specialize machine = #sm_90a {
    pipe.partition load warps = 4 {
      %t = tile.load %a[%c0, %c0] : memref<?x?xf32> -> tensor<128x64xf32>
      pipe.put %t, %ch : !pipe.channel<tensor<128x64xf32>, depth = 1, tensor>
    }
    pipe.partition consumer warps = 4 {
      %g = pipe.get %ch : !pipe.channel<tensor<128x64xf32>, depth = 1, tensor>
      pipe.release %ch : !pipe.channel<tensor<128x64xf32>, depth = 1, tensor>
    }
  }
  return
}
