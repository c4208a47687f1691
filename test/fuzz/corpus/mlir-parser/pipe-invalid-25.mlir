#bad = #pipe.kind<"mma", unit = "tc", measure = flops, issue = 0>
