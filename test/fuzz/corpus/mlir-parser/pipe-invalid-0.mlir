#bad = #pipe.unit<"tc", count = 0>
