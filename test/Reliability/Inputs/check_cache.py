"""Checks a schedule cache directory after concurrent writers:

    %python check_cache.py <cache dir> <expected entries>

every file is a complete entry (<16 hex digits>.json that parses as a
schedule solution), no temporary is left, and there are as many entries as
distinct loops. Prints one line per entry: its II and lower bound.
"""
import json
import os
import re
import sys

directory, expected = sys.argv[1], int(sys.argv[2])
names = sorted(os.listdir(directory))
status = 0
for name in names:
    if not re.fullmatch(r"[0-9a-f]{16}\.json", name):
        print(f"unexpected file {name}")
        status = 1
        continue
    with open(os.path.join(directory, name)) as f:
        entry = json.load(f)
    print(f"entry: ii {entry['ii']} lower bound {entry['lowerBound']} "
          f"proven {entry['provenOptimal']}")
if len(names) != expected:
    print(f"{len(names)} entries, expected {expected}")
    status = 1
sys.exit(status)
