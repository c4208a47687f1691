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


def plot_schedule(loop, path: Union[str, Path], iterations: int = 3,
                  title: Optional[str] = None) -> Path:
    """Draws one scheduled loop (a `weft.ScheduledLoop` or an entry of
    `load_schedules`) to `path`: .svg from a ScheduledLoop is Weft's own SVG
    Gantt chart (as `weft-translate --schedule-format=svg`); everything else
    is drawn with matplotlib in the same layout: a band per partition, a lane
    per functional unit, bars coloured by iteration, II windows shaded."""
    path = Path(path)
    if path.suffix == ".svg" and hasattr(loop, "svg") and title is None:
        path.write_text(loop.svg(iterations))
        return path
    if hasattr(loop, "to_dict"):
        loop = loop.to_dict()
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    ii = loop["ii_cycles"]
    roles = {p["index"]: p for p in loop["partitions"]}
    lanes = sorted({(op["partition"], op["unit"]) for op in loop["ops"]})
    lane_of = {lane: i for i, lane in enumerate(lanes)}
    colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
              "#D55E00"]
    horizon = max([op["start_cycles"] + op["occupancy_cycles"]
                   for op in loop["ops"]] + [ii]) + (iterations - 1) * ii

    fig, ax = plt.subplots(figsize=(14, 1.4 + 0.42 * len(lanes)))
    for window in range(0, int(horizon // max(ii, 1)) + 1):
        if window % 2 == 0:
            ax.axvspan(window * ii, (window + 1) * ii, color="#eef1f5",
                       zorder=0)
    for it in range(iterations):
        for op in loop["ops"]:
            y = lane_of[(op["partition"], op["unit"])]
            start = op["start_cycles"] + it * ii
            width = op["occupancy_cycles"]
            ax.barh(y, width, left=start, height=0.7,
                    color=colors[it % len(colors)], alpha=0.85,
                    edgecolor="black", linewidth=0.4, zorder=2)
            label = op["location"].rsplit("/", 1)[-1] \
                if ":" not in op["location"] else op["kind"]
            if width > 0.025 * horizon:
                ax.text(start + width / 2, y, label, ha="center",
                        va="center", fontsize=7, color="white", zorder=3,
                        clip_on=True)
    previous = None
    for i, (partition, _) in enumerate(lanes):
        if previous is not None and partition != previous:
            ax.axhline(i - 0.5, color="grey", linewidth=0.8)
        previous = partition
    labels = []
    for partition, unit in lanes:
        part = roles.get(partition, {})
        labels.append(f"p{partition} {part.get('role', '?')} "
                      f"({part.get('registers', '?')} regs) / {unit}")
    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xlim(0, horizon)
    ax.invert_yaxis()
    ax.set_xlabel("machine cycles (shaded: every other II window)")
    ax.legend(handles=[Patch(color=colors[i % len(colors)],
                             label=f"iteration {i}")
                       for i in range(iterations)],
              loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=iterations,
              fontsize=8, frameon=False)
    certificate = "proven optimal" if loop["proven_optimal"] else \
        "NOT proven optimal"
    ax.set_title(title or
                 f"{loop['function']}: II {loop['ii']} = {ii} cycles, "
                 f"lower bound {loop['lower_bound']} ({certificate}), "
                 f"{loop['stages']} stages, {len(loop['partitions'])} "
                 f"partitions", fontsize=10, loc="left")
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path
