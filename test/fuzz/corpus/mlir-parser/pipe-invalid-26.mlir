#bad = #pipe.kind<"mma", unit = "", measure = flops>
