#bad = #pipe.schedule<ii = 0, lower_bound = 1, proven_optimal = false, stages = 1, length = 1, ii_cycles = 4, partitions = 1>
