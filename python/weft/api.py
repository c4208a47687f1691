"""Weft from Python through its C API: import ONNX models, run pass
pipelines, compile for a target, run functions on the CPU with numpy arrays,
and solve schedules and read them back as objects.

Every failure raises `weft.WeftError` whose `diagnostics` are the compiler's
located messages (for models, the ONNX node name).
"""
import dataclasses
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np

from weft._native import native

_default_context = None


def default_context():
    """The context used when none is given (one per process)."""
    global _default_context
    if _default_context is None:
        _default_context = native.Context()
    return _default_context


def known_targets() -> List[str]:
    """The machine presets a target may name."""
    return native.known_targets().split(",")


def compile_stages(target: str) -> List[str]:
    """The stages `compile` runs for `target`, after the import ("graph")."""
    return native.compile_stages(target).split(",")


# --------------------------------------------------------------------------
# Schedules
# --------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Partition:
    """One warp group: its role, register budget and the registers its live
    values need."""
    index: int
    role: str
    registers: int
    registers_needed: int


@dataclasses.dataclass(frozen=True)
class ScheduledOp:
    """Where the schedule put one op (normalized `cycle`, `stage`,
    `partition`, buffer depth) and its cost in machine cycles."""
    op: str
    kind: str
    unit: str
    cycle: int
    stage: int
    partition: int
    buffers: int
    start_cycles: int
    occupancy_cycles: int
    latency_cycles: int
    location: str


@dataclasses.dataclass(frozen=True)
class Certificate:
    """The optimality claim: every II in [lower_bound, ii) was shown
    infeasible (UNSAT) when `proven_optimal`."""
    lower_bound: int
    ii: int
    proven_optimal: bool

    @property
    def refuted_iis(self) -> List[int]:
        return list(range(self.lower_bound, self.ii)) \
            if self.proven_optimal else []


@dataclasses.dataclass(frozen=True)
class ScheduledLoop:
    """One software-pipelined, warp-specialized loop. II, bound and length
    are in the solver's normalized unit; `ii_cycles` in machine cycles."""
    function: str
    location: str
    ii: int
    lower_bound: int
    proven_optimal: bool
    ii_cycles: int
    stages: int
    length: int
    partitions: List[Partition]
    ops: List[ScheduledOp]
    _schedule: object = dataclasses.field(repr=False, compare=False,
                                          default=None)
    _index: int = dataclasses.field(repr=False, compare=False, default=0)

    @property
    def certificate(self) -> Certificate:
        return Certificate(self.lower_bound, self.ii, self.proven_optimal)

    def to_dict(self) -> dict:
        """The loop as `weft-translate --export-schedule` writes it."""
        data = {f.name: getattr(self, f.name)
                for f in dataclasses.fields(self)
                if not f.name.startswith("_")}
        data["partitions"] = [dataclasses.asdict(p) for p in self.partitions]
        data["ops"] = [dataclasses.asdict(o) for o in self.ops]
        return data

    def svg(self, iterations: int = 3) -> str:
        """The Gantt chart of `weft-translate --schedule-format=svg`."""
        return self._schedule.write("svg", iterations, self._index)

    def __str__(self) -> str:
        """weft-compile --print-schedule's lines for this loop."""
        return self._schedule.write("summary", 1, self._index).rstrip("\n")


def _loops(schedule) -> List[ScheduledLoop]:
    loops = []
    for index, data in enumerate(schedule.loops()):
        data = dict(data)
        data["partitions"] = [Partition(**p) for p in data["partitions"]]
        data["ops"] = [ScheduledOp(**o) for o in data["ops"]]
        loops.append(ScheduledLoop(**data, _schedule=schedule, _index=index))
    return loops


# --------------------------------------------------------------------------
# Modules
# --------------------------------------------------------------------------

class Module:
    """An MLIR module of Weft IR (any stage)."""

    def __init__(self, handle):
        self._handle = handle

    @classmethod
    def parse(cls, text: str, name: str = "<string>",
              context=None) -> "Module":
        return cls(native.Module.parse(context or default_context(), text,
                                       name))

    def __str__(self) -> str:
        return self._handle.print(False)

    def print(self, debug_info: bool = False) -> str:
        return self._handle.print(debug_info)

    def clone(self) -> "Module":
        return Module(self._handle.clone())

    def run_passes(self, pipeline: Union[str, Sequence[str]]) -> "Module":
        """Runs a pass pipeline in place: a textual pipeline
        ("builtin.module(weft-graph-fusion)", "func.func(canonicalize)") or a
        list of pass names (with options: "weft-tile-kernels{tile-m=32}")."""
        if not isinstance(pipeline, str):
            pipeline = ",".join(name.lstrip("-") for name in pipeline)
        self._handle.run_passes(pipeline)
        return self

    def schedules(self) -> List[ScheduledLoop]:
        """The schedules of an already scheduled module."""
        return _loops(self._handle.schedules())

    @property
    def diagnostics(self) -> str:
        """Diagnostics (remarks, warnings) of the last operation."""
        return self._handle.diagnostics


def _as_module(source, context=None) -> Module:
    if isinstance(source, Module):
        return source
    if isinstance(source, str):
        return Module.parse(source, context=context)
    raise TypeError(f"expected a weft.Module or IR text, got "
                    f"{type(source).__name__}")


def import_onnx(model, name: str = "model.onnx", context=None) -> Module:
    """Imports an ONNX model: a path, serialized bytes, or an
    `onnx.ModelProto` (e.g. what torch.onnx.export wrote)."""
    context = context or default_context()
    if hasattr(model, "SerializeToString"):
        model = model.SerializeToString()
    if isinstance(model, (bytes, bytearray)):
        return Module(native.Module.import_onnx_bytes(context, bytes(model),
                                                      name))
    return Module(native.Module.import_onnx_file(context, str(model)))


# --------------------------------------------------------------------------
# Compiling
# --------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Progress:
    """A progress event of `compile`: a stage starting
    (kind="stage": `stage`, `index` of `count`) or the solver about to try
    an II (kind="solver": `function`, `phase`, `ii`, `lower_bound`,
    `elapsed_ms`)."""
    kind: str
    stage: str = ""
    index: int = 0
    count: int = 0
    function: str = ""
    phase: int = 0
    ii: int = 0
    lower_bound: int = 0
    elapsed_ms: float = 0.0

    def __str__(self) -> str:
        if self.kind == "stage":
            return f"[{self.index}/{self.count}] {self.stage}"
        what = "modulo schedule" if self.phase == 1 else "joint SWP + WS"
        return (f"  {self.function}: {what}, trying II {self.ii} "
                f"(lower bound {self.lower_bound}), "
                f"{self.elapsed_ms / 1000:.1f} s")


def print_progress(event: Progress) -> None:
    """A `progress` callback printing weft-compile's lines to stderr."""
    print(f"weft: {event}", file=sys.stderr, flush=True)


@dataclasses.dataclass
class CompileResult:
    """The compiled module (pipe programs on GPUs), the schedules the
    schedule stage solved, each stage's IR if kept, the timing report."""
    module: Module
    target: str
    schedules: List[ScheduledLoop]
    stages: Dict[str, str]
    timing_report: Optional[str]


def compile(model, target: str = "sm_90a", *,
            tile_sizes: Optional[str] = None,
            schedule_timeout_ms: int = 30000,
            keep_stages: bool = False,
            progress: Optional[Callable[[Progress], None]] = None,
            timing: bool = False, context=None) -> CompileResult:
    """Compiles a model as weft-compile does: graph fusion, tiling, machine
    model + optimal schedules, pipe programs on GPU targets.

    `model` is anything `import_onnx` takes, or an imported `Module` (left
    unchanged: a copy is compiled). `keep_stages` keeps every stage's IR in
    `stages` (by name, with locations); `progress` receives `Progress`
    events; `timing` returns the per-pass timing report."""
    module = model.clone() if isinstance(model, Module) else \
        import_onnx(model, context=context)
    stages = {}
    if keep_stages:
        stages["graph"] = module.print(debug_info=True)

    def stage_begin(stage, index, count):
        if progress:
            progress(Progress("stage", stage=stage, index=index, count=count))

    def stage_end(stage, text):
        stages[stage] = text

    def solver(function, phase, ii, lower_bound, elapsed_ms):
        progress(Progress("solver", function=function, phase=phase, ii=ii,
                          lower_bound=lower_bound, elapsed_ms=elapsed_ms))

    report, schedule = module._handle.compile(
        target, tile_sizes or "", schedule_timeout_ms, stage_begin,
        stage_end if keep_stages else None, solver if progress else None,
        timing)
    return CompileResult(module, target, _loops(schedule), stages,
                         report if timing else None)


# --------------------------------------------------------------------------
# Running on the CPU
# --------------------------------------------------------------------------

_BACKENDS = {"interpreter": 0, "native": 1}

_DTYPES = {"f16": np.float16, "f32": np.float32, "f64": np.float64,
           "bf16": np.float32, "i1": np.bool_, "i8": np.int8,
           "i16": np.int16, "i32": np.int32, "i64": np.int64,
           "index": np.int64, "ui8": np.uint8, "ui16": np.uint16,
           "ui32": np.uint32, "ui64": np.uint64}


def _to_buffer(value) -> np.ndarray:
    array = np.asarray(value)
    wide = np.float64 if array.dtype.kind == "f" else np.int64
    if array.dtype.kind not in "fiub":
        raise TypeError(f"cannot pass an array of {array.dtype} to Weft")
    # A copy in C order (np.ascontiguousarray would turn scalars into 1-d).
    return np.array(array, dtype=wide, order="C", copy=True)


def run(module, function: str, *args, backend: str = "interpreter",
        grid: Optional[Sequence[int]] = None,
        max_steps: int = 0) -> List[np.ndarray]:
    """Runs `function` of `module` (a Module or IR text) on the CPU.

    Arguments are numpy arrays for memrefs (updated in place, as the
    program writes them) and numbers for scalars. Returns the function's
    results as numpy arrays of the matching dtype (bf16 as float32).
    `grid` is the program instances along x, y, z (default: the kernel's
    `weft.grid`, as weft-tile-kernels sets it, else one instance).
    `backend` is "interpreter" (tile and pipe programs, with deadlock and
    channel checks); "native" is reserved for native CPU execution."""
    if backend not in _BACKENDS:
        raise ValueError(f"backend must be one of {sorted(_BACKENDS)}")
    module = _as_module(module)
    buffers = [_to_buffer(a) for a in args]
    grid = (0, 0, 0) if grid is None else tuple(grid) + (1,) * (3 - len(grid))
    results = module._handle.run(function, buffers, _BACKENDS[backend],
                                 list(grid), max_steps)
    for original, buffer in zip(args, buffers):
        if isinstance(original, np.ndarray) and original.ndim > 0 and \
                original.flags.writeable:
            np.copyto(original, buffer, casting="unsafe")
    return [array.astype(_DTYPES.get(element, array.dtype))
            for element, array in results]


def solve_schedule(ir, target: str = "sm_90a", *, timeout_ms: int = 60000,
                   progress: Optional[Callable[[Progress], None]] = None
                   ) -> List[ScheduledLoop]:
    """Attaches `target`'s machine model to tile IR (text or Module, left
    unchanged) and solves the schedule of every tile loop."""
    module = _as_module(ir).clone() if isinstance(ir, Module) else \
        _as_module(ir)

    def solver(function, phase, ii, lower_bound, elapsed_ms):
        progress(Progress("solver", function=function, phase=phase, ii=ii,
                          lower_bound=lower_bound, elapsed_ms=elapsed_ms))

    schedule = module._handle.solve_schedules(target, timeout_ms,
                                              solver if progress else None)
    return _loops(schedule)
