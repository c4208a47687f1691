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

`--next-before A:B` (repeatable) also prints whether op A of iteration i+1
issues before op B of iteration i, e.g. FA3's QK^T GEMM of the next tile
hoisted above the PV GEMM of the current one.
"""
import argparse
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
    parser = argparse.ArgumentParser()
    parser.add_argument("json", nargs="?")
    parser.add_argument("--next-before", action="append", default=[])
    args = parser.parse_args()
    data = json.load(open(args.json) if args.json else sys.stdin)
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
        by_name = {op["location"]: op for op in loop["ops"]}
        for pair in args.next_before:
            first, second = pair.split(":")
            if first in by_name and second in by_name:
                hoisted = by_name[first]["cycle"] + loop["ii"] < \
                    by_name[second]["cycle"]
                print(f"next {first} before {second}: "
                      f"{'yes' if hoisted else 'no'}")


if __name__ == "__main__":
    main()
