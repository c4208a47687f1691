// Machine models (and schedules) the solver cannot use are refused where they
// are written.
// Unsigned fields read `-1` as their two's complement; a ceiling far above
// any real machine turns that into an error instead of a wrapped cost.
// Zero-instance units and too little shared memory: test/Schedule/
// schedule-errors.mlir and test/Dialect/Pipe/invalid.mlir.
// RUN: weft-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{functional unit 'tma' has count = 4294967295, above the limit of 65536 (a negative number for an unsigned field?)}}
func.func private @negative_count() attributes {m = #pipe.unit<"tma", count = -1, rate = 64>}

// -----

// expected-error @+1 {{functional unit 'tc' has latency = 18446744073709551615, above the limit of 16777216}}
func.func private @negative_latency() attributes {m = #pipe.unit<"tc", count = 1, rate = 4096, latency = -1>}

// -----

// expected-error @+1 {{functional unit 'tc' has rate = 18446744073709551615, above the limit of 1099511627776}}
func.func private @negative_rate() attributes {m = #pipe.unit<"tc", count = 1, rate = -1>}

// -----

// expected-error @+1 {{op kind 'mma' has extra_latency = 18446744073709551615, above the limit of 16777216}}
func.func private @negative_kind_latency() attributes {m = #pipe.kind<"mma", unit = "tc", measure = flops, extra_latency = -1>}

// -----

// expected-error @+1 {{machine 'm' has smem_bytes = 18446744073709551615, above the limit of 1099511627776}}
func.func private @negative_smem() attributes {m = #pipe.machine<"m", units = [<"alu", count = 1>], smem_bytes = -1, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, handoff_cycles = 0>}

// -----

// expected-error @+1 {{machine 'm' has handoff_cycles = 4294967295, above the limit of 16777216}}
func.func private @negative_handoff() attributes {m = #pipe.machine<"m", units = [<"alu", count = 1>], smem_bytes = 0, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, handoff_cycles = -1>}

// -----

// A schedule near INT64_MAX: the stage count check must not overflow
// (UBSan found ceil(length / ii) computed as (length + ii - 1) / ii).
// expected-error @+1 {{stages (1) must be ceil(length / ii) = 2}}
func.func private @huge_schedule() attributes {s = #pipe.schedule<ii = 4611686018427387904, lower_bound = 1, proven_optimal = true, stages = 1, length = 9223372036854775807, ii_cycles = 1, partitions = 1>}
