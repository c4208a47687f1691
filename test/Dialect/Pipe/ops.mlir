// RUN: weft-opt %s | FileCheck %s
// RUN: weft-opt %s | weft-opt | FileCheck %s
// RUN: weft-opt %s -mlir-print-op-generic | weft-opt | FileCheck %s

// A Hopper-like machine declared inline, as a lit test may.
#hopper = #pipe.machine<"sm_90a", units = [<"tma", count = 1>, <"tc", count = 1>,
    <"alu", count = 4>, <"sfu", count = 1>], smem_bytes = 232448,
    tmem_columns = 0, register_file = 65536, max_registers = 255,
    max_warps = 32, warp_group_size = 4, register_budgets = [24, 240],
    handoff_cycles = 4>

// CHECK-DAG: #[[M:sm_90a]] = #pipe.machine<"sm_90a", units = [<"tma", count = 1>, <"tc", count = 1>, <"alu", count = 4>, <"sfu", count = 1>], smem_bytes = 232448, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, register_budgets = [24, 240], handoff_cycles = 4>
// CHECK-DAG: #[[T:tiny]] = #pipe.machine<"tiny", units = [<"tc", count = 1, rate = 4096, latency = 64>, <"tma", count = 1, rate = 64>], kinds = [<"mma", unit = "tc", measure = flops, issue = 8, completion = async>, <"tma_load", unit = "tma", measure = bytes, issue = 2, extra_latency = 600, completion = variable>, <"alu", unit = "tc", measure = elements, work_scale = 8>]

// FA3-shaped program: a TMA producer warp group and two consumer warp groups
// (one per 128-row query tile) fed by K and V channels of depth 2.
// CHECK-LABEL: func.func @fa3_shape
func.func @fa3_shape(%k: memref<?x128xf16>, %v: memref<?x128xf16>, %n: index) {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  // CHECK: pipe.create_channel : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
  %kc = pipe.create_channel : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
  %vc = pipe.create_channel : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
  // CHECK: pipe.warp_specialize machine = #[[M]] {
  pipe.warp_specialize machine = #hopper {
    // CHECK: pipe.partition load warps = 4 registers = 24 {
    pipe.partition load warps = 4 registers = 24 {
      scf.for %j = %c0 to %n step %c128 {
        %kt = tile.load %k[%j, %c0] : memref<?x128xf16> -> tensor<128x128xf16>
        // CHECK: pipe.put %{{.*}}, %{{.*}} : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
        pipe.put %kt, %kc : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
        %vt = tile.load %v[%j, %c0] : memref<?x128xf16> -> tensor<128x128xf16>
        pipe.put %vt, %vc : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
      } {pipe.schedule = #pipe.schedule<ii = 8, lower_bound = 8, proven_optimal = true, stages = 2, length = 14, ii_cycles = 512, partitions = 3>}
    }
    // CHECK: pipe.partition consumer warps = 4 registers = 240 {
    pipe.partition consumer warps = 4 registers = 240 {
      scf.for %j = %c0 to %n step %c128 {
        // CHECK: pipe.get %{{.*}} : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
        %kt = pipe.get %kc {pipe.placement = #pipe.placement<stage = 0, cycle = 2, partition = 1>} : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
        // CHECK: pipe.release %{{.*}} : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
        pipe.release %kc : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
        %vt = pipe.get %vc : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
        pipe.release %vc : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
      }
    }
    pipe.partition consumer warps = 4 registers = 240 {
    }
  }
  return
}

// CHECK-LABEL: func.func @no_machine
func.func @no_machine() {
  // CHECK: pipe.warp_specialize {
  pipe.warp_specialize {
    // CHECK: pipe.partition compute warps = 1 {
    pipe.partition compute warps = 1 {
    }
    // CHECK: pipe.partition mma warps = 1 attributes {note = "single-thread issue"} {
    pipe.partition mma warps = 1 attributes {note = "single-thread issue"} {
    }
  }
  return
}

// CHECK-LABEL: func.func @tmem_channel
// CHECK-SAME: !pipe.channel<tensor<128x128xf32>, depth = 2, tensor>
// CHECK-SAME: !pipe.channel<tensor<128x128xbf16>, depth = 2, shared, consumers = 2>
func.func @tmem_channel(%c: !pipe.channel<tensor<128x128xf32>, depth = 2, tensor>,
                        %k: !pipe.channel<tensor<128x128xbf16>, depth = 2, shared, consumers = 2>) {
  return
}

// Units with rates and latencies, and op kinds bound to them: what the
// schedule solver reads to cost ops.
#tiny = #pipe.machine<"tiny", units = [<"tc", count = 1, rate = 4096, latency = 64>,
    <"tma", count = 1, rate = 64, latency = 0>],
    kinds = [<"mma", unit = "tc", measure = flops, issue = 8, completion = async>,
             <"tma_load", unit = "tma", measure = bytes, issue = 2, extra_latency = 600, completion = variable>,
             <"alu", unit = "tc", measure = elements, work_scale = 8, completion = sync>],
    smem_bytes = 1024, tmem_columns = 0, register_file = 65536, max_registers = 255,
    max_warps = 32, warp_group_size = 4, handoff_cycles = 0>
// CHECK-LABEL: func.func @with_kinds
// CHECK-SAME: machine = #[[T]]
func.func @with_kinds() attributes {machine = #tiny} {
  return
}
