#bad = #pipe.unit<"tc", count = 1, rate = 0>
