#hopper = #pipe.machine<"sm_90a", units = [<"tma", count = 1>, <"tc", count = 1>,
    <"alu", count = 4>, <"sfu", count = 1>], smem_bytes = 232448,
    tmem_columns = 0, register_file = 65536, max_registers = 255,
    max_warps = 32, warp_group_size = 4, register_budgets = [24, 240],
    handoff_cycles = 4>


func.func @fa3_shape(%k: memref<?x128xf16>, %v: memref<?x128xf16>, %n: index) {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  %kc = pipe.create_channel : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
  %vc = pipe.create_channel : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
  pipe.warp_specialize machine = #hopper {
    pipe.partition load warps = 4 registers = 24 {
      scf.for %j = %c0 to %n step %c128 {
        %kt = tile.load %k[%j, %c0] : memref<?x128xf16> -> tensor<128x128xf16>
        pipe.put %kt, %kc : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
        %vt = tile.load %v[%j, %c0] : memref<?x128xf16> -> tensor<128x128xf16>
        pipe.put %vt, %vc : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
      } {pipe.schedule = #pipe.schedule<ii = 8, lower_bound = 8, proven_optimal = true, stages = 2, length = 14, ii_cycles = 512, partitions = 3>}
    }
    pipe.partition consumer warps = 4 registers = 240 {
      scf.for %j = %c0 to %n step %c128 {
        %kt = pipe.get %kc {pipe.placement = #pipe.placement<stage = 0, cycle = 2, partition = 1>} : !pipe.channel<tensor<128x128xf16>, depth = 2, shared>
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

func.func @no_machine() {
  pipe.warp_specialize {
    pipe.partition compute warps = 1 {
    }
    pipe.partition mma warps = 1 attributes {note = "single-thread issue"} {
    }
  }
  return
}

func.func @tmem_channel(%c: !pipe.channel<tensor<128x128xf32>, depth = 2, tensor>,
                        %k: !pipe.channel<tensor<128x128xbf16>, depth = 2, shared, consumers = 2>) {
  return
}

#tiny = #pipe.machine<"tiny", units = [<"tc", count = 1, rate = 4096, latency = 64>,
    <"tma", count = 1, rate = 64, latency = 0>],
    kinds = [<"mma", unit = "tc", measure = flops, issue = 8, completion = async>,
             <"tma_load", unit = "tma", measure = bytes, issue = 2, extra_latency = 600, completion = variable>,
             <"alu", unit = "tc", measure = elements, work_scale = 8, completion = sync>],
    smem_bytes = 1024, tmem_columns = 0, register_file = 65536, max_registers = 255,
    max_warps = 32, warp_group_size = 4, handoff_cycles = 0>
func.func @with_kinds() attributes {machine = #tiny} {
  return
}
