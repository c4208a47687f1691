#bad = #pipe.unit<"", count = 1>
