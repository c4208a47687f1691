func.func private @f() attributes {s = #pipe.schedule<ii = 9223372036854775807, lower_bound = 1, proven_optimal = true, stages = 1, length = 9223372036854775807, ii_cycles = 1, partitions = 1>}
