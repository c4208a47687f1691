#!/usr/bin/env python3
"""Prints the facts of exported schedules that tests and people check.

Reads `weft-translate --export-schedule` JSON (stdin or a file) and prints,
per scheduled loop: II, lower bound and certificate; each partition with its
role, register budget and the ops on it (ops are named by their location,
so tests give the ops they reason about `loc("name")`); the stage of each
op; and every pair of ops of *different* partitions whose unit occupancy
overlaps in the steady state (time taken modulo II): the overlap that warp
specialization buys, e.g. FA3's softmax of one tile under the GEMMs of the
other.
"""
import json
import sys


def occupancy(op, ii):
    """The steady-state busy intervals of an op, modulo II (cycles)."""
    start = op["start_cycles"] % ii
    end = start + op["occupancy_cycles"]
    spans = []
    while end > 0:
        spans.append((start, min(end, ii)))
        start, end = 0, end - ii
    return spans


def overlaps(a, b, ii):
    return any(s1 < e2 and s2 < e1
               for s1, e1 in occupancy(a, ii) for s2, e2 in occupancy(b, ii))


def main():
    data = json.load(open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
    for loop in data["loops"]:
        ii = loop["ii_cycles"]
        print(f"loop {loop['function']} ii={loop['ii']} "
              f"lower_bound={loop['lower_bound']} "
              f"proven_optimal={str(loop['proven_optimal']).lower()} "
              f"ii_cycles={ii} stages={loop['stages']} "
              f"partitions={len(loop['partitions'])}")
        for part in loop["partitions"]:
            names = sorted(op["location"] for op in loop["ops"]
                           if op["partition"] == part["index"])
            print(f"partition {part['index']} {part['role']} "
                  f"registers={part['registers']}: {' '.join(names)}")
        for op in sorted(loop["ops"], key=lambda o: o["location"]):
            print(f"op {op['location']} {op['kind']} stage={op['stage']} "
                  f"partition={op['partition']} buffers={op['buffers']}")
        ops = sorted(loop["ops"], key=lambda o: o["location"])
        for i, a in enumerate(ops):
            for b in ops[i + 1:]:
                if a["partition"] != b["partition"] and overlaps(a, b, ii):
                    print(f"overlap {a['location']} {b['location']}")


if __name__ == "__main__":
    main()
