#bad = #pipe.schedule<ii = 4, lower_bound = 4, proven_optimal = false, stages = 1, length = 4, ii_cycles = 0, partitions = 1>
