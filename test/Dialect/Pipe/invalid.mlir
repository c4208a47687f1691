// RUN: weft-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{functional unit 'tc' must have a count of at least 1}}
#bad = #pipe.unit<"tc", count = 0>

// -----

// expected-error @+1 {{functional unit needs a name}}
#bad = #pipe.unit<"", count = 1>

// -----

// A machine needs at least one unit: the unit list is not optional.
// expected-error @+2 {{expected '<'}}
// expected-error @+1 {{failed to parse Pipe_MachineAttr parameter 'units'}}
#bad = #pipe.machine<"m", units = [], smem_bytes = 0, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, handoff_cycles = 0>

// -----

// expected-error @+1 {{machine 'm' lists unit 'tc' twice}}
#bad = #pipe.machine<"m", units = [<"tc", count = 1>, <"tc", count = 2>], smem_bytes = 0, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, handoff_cycles = 0>

// -----

// expected-error @+1 {{machine 'm' needs 0 < warp_group_size <= max_warps}}
#bad = #pipe.machine<"m", units = [<"tc", count = 1>], smem_bytes = 0, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 2, warp_group_size = 4, handoff_cycles = 0>

// -----

// expected-error @+1 {{machine 'm' needs a non-empty register file}}
#bad = #pipe.machine<"m", units = [<"tc", count = 1>], smem_bytes = 0, tmem_columns = 0, register_file = 0, max_registers = 255, max_warps = 32, warp_group_size = 4, handoff_cycles = 0>

// -----

// expected-error @+1 {{register budget 256 is outside (0, max_registers = 255]}}
#bad = #pipe.machine<"m", units = [<"tc", count = 1>], smem_bytes = 0, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, register_budgets = [24, 256], handoff_cycles = 0>

// -----

// expected-error @+1 {{ii must be positive, got 0}}
#bad = #pipe.schedule<ii = 0, lower_bound = 1, proven_optimal = false, stages = 1, length = 1, ii_cycles = 4, partitions = 1>

// -----

// expected-error @+1 {{lower_bound must be in [1, ii], got 5}}
#bad = #pipe.schedule<ii = 4, lower_bound = 5, proven_optimal = false, stages = 1, length = 4, ii_cycles = 4, partitions = 1>

// -----

// expected-error @+1 {{stages, length, ii_cycles and partitions must be positive}}
#bad = #pipe.schedule<ii = 4, lower_bound = 4, proven_optimal = false, stages = 1, length = 4, ii_cycles = 0, partitions = 1>

// -----

// expected-error @+1 {{stages (1) must be ceil(length / ii) = 3}}
#bad = #pipe.schedule<ii = 4, lower_bound = 4, proven_optimal = true, stages = 1, length = 9, ii_cycles = 4, partitions = 1>

// -----

// expected-error @+1 {{stage, cycle and partition must be non-negative}}
#bad = #pipe.placement<stage = 0, cycle = -1, partition = 0>

// -----

// expected-error @+1 {{stage 2 cannot start after cycle 1}}
#bad = #pipe.placement<stage = 2, cycle = 1, partition = 0>

// -----

// expected-error @+1 {{channel depth must be at least 1}}
func.func @depth(%c: !pipe.channel<tensor<4xf32>, depth = 0, shared>) {
  return
}

// -----

func.func @put_type(%c: !pipe.channel<tensor<4xf32>, depth = 1, shared>, %v: tensor<8xf32>) {
  // expected-error @+1 {{value matches the channel payload}}
  "pipe.put"(%v, %c) : (tensor<8xf32>, !pipe.channel<tensor<4xf32>, depth = 1, shared>) -> ()
  return
}

// -----

func.func @get_type(%c: !pipe.channel<tensor<4xf32>, depth = 1, shared>) {
  // expected-error @+1 {{result matches the channel payload}}
  %0 = "pipe.get"(%c) : (!pipe.channel<tensor<4xf32>, depth = 1, shared>) -> tensor<8xf32>
  return
}

// -----

func.func @not_a_partition() {
  pipe.warp_specialize {
    // expected-error @+1 {{is not a pipe.partition; only partitions may appear in a pipe.warp_specialize}}
    %0 = arith.constant 0 : index
  }
  return
}

// -----

func.func @empty() {
  // expected-error @+1 {{needs at least one partition}}
  pipe.warp_specialize {
  }
  return
}

// -----

func.func @orphan_partition() {
  // expected-error @+1 {{expects parent op 'pipe.warp_specialize'}}
  pipe.partition load warps = 1 {
  }
  return
}

// -----

func.func @zero_warps() {
  pipe.warp_specialize {
    // expected-error @+1 {{attribute 'warps' failed to satisfy constraint: 32-bit signless integer attribute whose value is positive}}
    pipe.partition load warps = 0 {
    }
  }
  return
}

// -----

#m = #pipe.machine<"m", units = [<"tc", count = 1>], smem_bytes = 1024, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 8, warp_group_size = 4, register_budgets = [24, 240], handoff_cycles = 0>
func.func @too_many_warps() {
  // expected-error @+1 {{partitions use 12 warps but machine 'm' allows 8}}
  pipe.warp_specialize machine = #m {
    pipe.partition load warps = 4 registers = 24 {
    }
    pipe.partition consumer warps = 8 registers = 24 {
    }
  }
  return
}

// -----

#m = #pipe.machine<"m", units = [<"tc", count = 1>], smem_bytes = 1024, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, register_budgets = [24, 240], handoff_cycles = 0>
func.func @too_many_registers() {
  // expected-error @+1 {{partitions need 92160 registers but machine 'm' has 65536}}
  pipe.warp_specialize machine = #m {
    pipe.partition consumer warps = 4 registers = 240 {
    }
    pipe.partition consumer warps = 4 registers = 240 {
    }
    pipe.partition consumer warps = 4 registers = 240 {
    }
  }
  return
}

// -----

#m = #pipe.machine<"m", units = [<"tc", count = 1>], smem_bytes = 1024, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, register_budgets = [24, 240], handoff_cycles = 0>
func.func @unknown_budget() {
  pipe.warp_specialize machine = #m {
    // expected-error @+1 {{register budget 128 is not one of machine 'm' budgets [24, 240]}}
    pipe.partition consumer warps = 4 registers = 128 {
    }
  }
  return
}

// -----

#m = #pipe.machine<"m", units = [<"tc", count = 1>], smem_bytes = 1024, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, handoff_cycles = 0>
func.func @fixed_budget() {
  pipe.warp_specialize machine = #m {
    // expected-error @+1 {{machine 'm' has no per-partition register budgets; drop `registers`}}
    pipe.partition consumer warps = 4 registers = 128 {
    }
  }
  return
}

// -----

// expected-error @+1 {{functional unit 'tc' must have a rate of at least 1}}
#bad = #pipe.unit<"tc", count = 1, rate = 0>

// -----

// expected-error @+1 {{op kind 'mma' needs issue >= 1 and work_scale >= 1}}
#bad = #pipe.kind<"mma", unit = "tc", measure = flops, issue = 0>

// -----

// expected-error @+1 {{op kind needs a name and a unit}}
#bad = #pipe.kind<"mma", unit = "", measure = flops>

// -----

// expected-error @+1 {{op kind 'mma' runs on unknown unit 'tensor'}}
#bad = #pipe.machine<"m", units = [<"tc", count = 1>], kinds = [<"mma", unit = "tensor", measure = flops>], smem_bytes = 0, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, handoff_cycles = 0>

// -----

// expected-error @+1 {{machine 'm' binds op kind 'mma' twice}}
#bad = #pipe.machine<"m", units = [<"tc", count = 1>], kinds = [<"mma", unit = "tc", measure = flops>, <"mma", unit = "tc", measure = flops>], smem_bytes = 0, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, handoff_cycles = 0>

// -----

// expected-error @+1 {{an op's result needs at least one buffer}}
#bad = #pipe.placement<stage = 0, cycle = 1, partition = 0, buffers = 0>

// -----

// expected-error @+1 {{a channel needs at least one consumer}}
func.func @no_consumer(%c: !pipe.channel<tensor<4xf32>, depth = 1, shared, consumers = 0>) {
  return
}

// -----

// expected-error @+1 {{machine 'm' needs at least one thread per warp}}
#bad = #pipe.machine<"m", units = [<"tc", count = 1>], smem_bytes = 0, tmem_columns = 0, register_file = 32, max_registers = 32, max_warps = 1, warp_group_size = 1, threads_per_warp = 0, handoff_cycles = 0>
