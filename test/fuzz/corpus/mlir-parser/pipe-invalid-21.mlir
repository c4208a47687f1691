#m = #pipe.machine<"m", units = [<"tc", count = 1>], smem_bytes = 1024, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, register_budgets = [24, 240], handoff_cycles = 0>
func.func @too_many_registers() {
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
