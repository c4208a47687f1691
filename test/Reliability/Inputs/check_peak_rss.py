"""Fails unless the peak RSS that `/usr/bin/time -f %M -o <file>` recorded
(in KiB) is below a limit:

    %python check_peak_rss.py <file> <limit MiB>
"""
import sys

kib = int(open(sys.argv[1]).read().split()[-1])
limit = int(sys.argv[2])
print(f"peak RSS {kib // 1024} MiB (limit {limit} MiB)")
sys.exit(0 if kib < limit * 1024 else 1)
