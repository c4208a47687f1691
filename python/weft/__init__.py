"""Weft: an MLIR-based ML compiler.

This package drives Weft's tools from Python. `opt` runs a pass pipeline on
textual IR exactly as `weft-opt` does; errors come back as `WeftError` with
the tool's located diagnostics. `schedule_ir` solves the schedules of tile
loops and `plot_schedule` draws one as a per-partition, per-unit timeline.
"""
from weft.schedule import load_schedules, plot_schedule, schedule_ir
from weft.tools import WeftError, find_tool, opt

__all__ = ["WeftError", "find_tool", "opt", "load_schedules", "plot_schedule",
           "schedule_ir"]
