"""Checks the SVG of `weft-translate --export-schedule --schedule-format=svg`
against the JSON export of the same module: one <g class="loop"> per loop,
one <g class="partition"> per partition that has ops, and in each exactly
(ops of that partition) x (iterations) bars <rect class="op">, each inside
the drawing and with a positive width.

  check-schedule-svg.py SCHEDULE.svg SCHEDULE.json ITERATIONS
"""
import json
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def main(svg_path, json_path, iterations):
    root = ET.parse(svg_path).getroot()
    width = float(root.get("width"))
    loops = json.load(open(json_path))["loops"]
    svg_loops = root.findall(f"{NS}g[@class='loop']")
    if len(svg_loops) != len(loops):
        print(f"FAIL: {len(svg_loops)} loops drawn, {len(loops)} exported")
        return 1
    for loop, group in zip(loops, svg_loops):
        if int(group.get("data-iterations")) != iterations:
            print("FAIL: wrong iteration count")
            return 1
        expected = {}
        for op in loop["ops"]:
            expected[op["partition"]] = expected.get(op["partition"], 0) + 1
        drawn = {}
        for part in group.findall(f"{NS}g[@class='partition']"):
            rects = part.findall(f"{NS}rect[@class='op']")
            drawn[int(part.get("data-partition"))] = len(rects)
            for rect in rects:
                x, w = float(rect.get("x")), float(rect.get("width"))
                if w <= 0 or x < 0 or x + w > width:
                    print(f"FAIL: bar outside the drawing: x={x} w={w}")
                    return 1
        for partition, count in expected.items():
            if drawn.get(partition) != count * iterations:
                print(f"FAIL: {loop['function']} partition {partition}: "
                      f"{drawn.get(partition)} bars, expected "
                      f"{count} ops x {iterations} iterations")
                return 1
        print(f"{loop['function']}: {len(expected)} partitions, "
              f"{sum(drawn.values())} bars = {len(loop['ops'])} ops x "
              f"{iterations} iterations")
    print("svg ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
