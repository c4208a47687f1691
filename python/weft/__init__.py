"""Weft: an MLIR-based ML compiler, from Python.

Over the C API (the weft._weft extension):
  import_onnx, Module (parse, run_passes, print, schedules), compile,
  run (CPU, numpy arrays), solve_schedule (ScheduledLoop objects with
  partitions, placements and the optimality certificate), known_targets.
Over the command-line tools (located with find_tool):
  opt (weft-opt on text), schedule_ir, load_schedules (exported JSON).
plot_schedule draws a schedule as a per-partition, per-unit Gantt chart
(SVG or PNG). Errors raise WeftError with the compiler's diagnostics.
"""
from weft.tools import WeftError, find_tool, opt
from weft.schedule import load_schedules, plot_schedule, schedule_ir
from weft.api import (Certificate, CompileResult, Module, Partition, Progress,
                      ScheduledLoop, ScheduledOp, compile, compile_stages,
                      default_context, import_onnx, known_targets,
                      print_progress, run, solve_schedule)

__all__ = ["Certificate", "CompileResult", "Module", "Partition", "Progress",
           "ScheduledLoop", "ScheduledOp", "WeftError", "compile",
           "compile_stages", "default_context", "find_tool", "import_onnx",
           "known_targets", "load_schedules", "opt", "plot_schedule",
           "print_progress", "run", "schedule_ir", "solve_schedule"]
