#bad = #pipe.placement<stage = 2, cycle = 1, partition = 0>
