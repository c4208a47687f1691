"""Reading and drawing the schedules weft-schedule solves.

`load_schedules` reads `weft-translate --export-schedule` JSON; `plot_schedule`
draws one scheduled loop as the picture people draw by hand for FA3: one lane
per (partition, functional unit), each op a bar at its issue time and unit
occupancy, over a few overlapped iterations started II apart.
"""
import json
import subprocess
from pathlib import Path
from typing import List, Optional, Union

from weft.tools import find_tool


def load_schedules(source: Union[str, Path, dict]) -> List[dict]:
    """The scheduled loops of an export (a path, JSON text or parsed dict)."""
    if isinstance(source, dict):
        data = source
    else:
        text = str(source)
        if not text.lstrip().startswith("{"):
            text = Path(source).read_text()
        data = json.loads(text)
    return data["loops"]


def schedule_ir(ir: str, target: str = "sm_90a") -> List[dict]:
    """Solves the schedules of the tile loops in `ir` for a machine preset."""
    scheduled = subprocess.run(
        [str(find_tool("weft-opt")), f"-weft-attach-machine=target={target}",
         "-weft-schedule", "-mlir-print-debuginfo", "-"],
        input=ir, capture_output=True, text=True, check=True).stdout
    exported = subprocess.run(
        [str(find_tool("weft-translate")), "--export-schedule"],
        input=scheduled, capture_output=True, text=True, check=True).stdout
    return load_schedules(exported)


def plot_schedule(loop: dict, output: Union[str, Path], iterations: int = 3,
                  title: Optional[str] = None) -> Path:
    """Draws `loop` (one entry of `load_schedules`) to a PNG or SVG file."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ii = loop["ii_cycles"]
    roles = {p["index"]: p for p in loop["partitions"]}
    lanes = sorted({(op["partition"], op["unit"]) for op in loop["ops"]})
    lane_of = {lane: i for i, lane in enumerate(lanes)}
    colors = plt.get_cmap("tab10")

    height = 0.6 + 0.45 * len(lanes)
    fig, ax = plt.subplots(figsize=(13, height))
    for it in range(iterations):
        for op in loop["ops"]:
            y = lane_of[(op["partition"], op["unit"])]
            start = op["start_cycles"] + it * ii
            ax.barh(y, op["occupancy_cycles"], left=start, height=0.7,
                    color=colors(it % 10), alpha=0.85, edgecolor="black",
                    linewidth=0.4)
            if op["occupancy_cycles"] > 0.04 * ii * iterations:
                ax.text(start + op["occupancy_cycles"] / 2, y,
                        op["location"], ha="center", va="center",
                        fontsize=7, clip_on=True)
    for it in range(iterations + 1):
        ax.axvline(it * ii, color="grey", linewidth=0.6, linestyle=":")
    labels = []
    for partition, unit in lanes:
        part = roles.get(partition, {})
        labels.append(f"p{partition} {part.get('role', '?')} "
                      f"({part.get('registers', '?')} regs) / {unit}")
    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("machine cycles (colour = iteration; dotted lines every II)")
    certificate = "proven optimal" if loop["proven_optimal"] else "not proven"
    ax.set_title(title or
                 f"{loop['function']}: II {loop['ii']} = {ii} cycles, "
                 f"lower bound {loop['lower_bound']} ({certificate}), "
                 f"{loop['stages']} stages, {len(loop['partitions'])} "
                 f"partitions", fontsize=10)
    fig.tight_layout()
    output = Path(output)
    fig.savefig(output, dpi=130)
    plt.close(fig)
    return output
