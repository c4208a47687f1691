#bad = #pipe.schedule<ii = 4, lower_bound = 4, proven_optimal = true, stages = 1, length = 9, ii_cycles = 4, partitions = 1>
