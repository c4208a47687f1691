#bad = #pipe.placement<stage = 0, cycle = 1, partition = 0, buffers = 0>
