#bad = #pipe.schedule<ii = 4, lower_bound = 5, proven_optimal = false, stages = 1, length = 4, ii_cycles = 4, partitions = 1>
