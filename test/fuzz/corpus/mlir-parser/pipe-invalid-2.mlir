#bad = #pipe.machine<"m", units = [], smem_bytes = 0, tmem_columns = 0, register_file = 65536, max_registers = 255, max_warps = 32, warp_group_size = 4, handoff_cycles = 0>
