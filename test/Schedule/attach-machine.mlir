// Every preset prints as a #pipe.machine that parses back: the numbers the
// solver uses are visible in the IR, and a test can copy and edit them.
// RUN: weft-opt %s -weft-attach-machine=target=sm_80 | weft-opt | FileCheck %s --check-prefix=SM80
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a | weft-opt | FileCheck %s --check-prefix=SM90
// RUN: weft-opt %s -weft-attach-machine=target=sm_100a | weft-opt | FileCheck %s --check-prefix=SM100
// RUN: weft-opt %s -weft-attach-machine=target=gfx942 | weft-opt | FileCheck %s --check-prefix=GFX942
// RUN: weft-opt %s -weft-attach-machine=target=arm-sme2 | weft-opt | FileCheck %s --check-prefix=SME
// RUN: not weft-opt %s -weft-attach-machine=target=sm_99 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// SM80: #pipe.machine<"sm_80", units = [<"tensor", count = 1, rate = 2048
// SM80-SAME: <"mma", unit = "tensor", measure = flops
// SM80-SAME: <"cp_async", unit = "async_copy", measure = bytes
// SM80-SAME: smem_bytes = 166912, tmem_columns = 0
// SM80-NOT: register_budgets
// SM80: module attributes {pipe.machine = #sm_80}

// SM90: #pipe.machine<"sm_90a", units = [<"tensor", count = 1, rate = 4096
// SM90-SAME: <"tma_load", unit = "tma", measure = bytes, {{.*}}completion = variable>
// SM90-SAME: smem_bytes = 232448, tmem_columns = 0
// SM90-SAME: register_budgets = [24, 32, {{.*}}, 240, 248]

// SM100: #pipe.machine<"sm_100a", units = [<"tensor", count = 1, rate = 9216
// SM100-SAME: <"mma", unit = "tensor", measure = flops, {{.*}}completion = variable>
// SM100-SAME: tmem_columns = 512

// GFX942: #pipe.machine<"gfx942"
// SME: #pipe.machine<"arm-sme2"
// SME-SAME: register_file = 32, max_registers = 32, max_warps = 1, warp_group_size = 1, threads_per_warp = 1,

// UNKNOWN: error: unknown machine 'sm_99'; known machines: sm_80, sm_90a, sm_100a, gfx942, gfx950, arm-sme2
module {
}
