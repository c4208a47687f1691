//===- WeftModule.cpp - the weft._weft Python extension -------------------===//
//
// pybind11 bindings over the C API (include/weft-c/Weft.h) only: this file is
// built with exceptions and RTTI, the C++ library behind the C API without,
// and nothing but C types crosses between them. Failures raise
// weft.WeftError with the context's diagnostics. The user-facing API (numpy
// conversion, dataclasses, plots) is weft/api.py.
//
//===----------------------------------------------------------------------===//
#include "weft-c/Weft.h"

#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>

namespace py = pybind11;

namespace {
std::string toString(WeftStringRef s) { return std::string(s.data, s.length); }
WeftStringRef toRef(const std::string &s) { return {s.data(), s.size()}; }

void appendString(WeftStringRef text, void *userData) {
  static_cast<std::string *>(userData)->append(text.data, text.length);
}

/// Raises weft.WeftError (defined in Python) carrying `diagnostics`.
[[noreturn]] void raiseWeftError(const std::string &what,
                                 const std::string &diagnostics) {
  py::object errorType = py::module_::import("weft.tools").attr("WeftError");
  py::object error = errorType(what, diagnostics);
  PyErr_SetObject(errorType.ptr(), error.ptr());
  throw py::error_already_set();
}

class ContextHandle {
public:
  ContextHandle() : context(weftContextCreate()) {}
  ~ContextHandle() { weftContextDestroy(context); }
  ContextHandle(const ContextHandle &) = delete;
  ContextHandle &operator=(const ContextHandle &) = delete;
  std::string diagnostics() const {
    return toString(weftContextGetDiagnostics(context));
  }
  [[noreturn]] void fail(const std::string &what) const {
    raiseWeftError(what, diagnostics());
  }
  WeftContext context;
};

/// Calls into Python from C callbacks, possibly on a solver thread: takes
/// the GIL, and keeps the first Python exception to re-raise once the C
/// call has returned (no exception may unwind through C).
struct CallbackState {
  py::object stageBegin, stageEnd, progress;
  std::optional<py::error_already_set> error;
  /// The timing report (written at the end, on the calling thread).
  std::string timing;
  /// The schedules as the schedule stage left them (owned by the caller).
  WeftSchedule schedule = {nullptr};

  template <typename Fn> void call(Fn &&fn) {
    py::gil_scoped_acquire gil;
    if (error)
      return;
    try {
      fn();
    } catch (py::error_already_set &e) {
      error = std::move(e);
    }
  }
  void rethrow() {
    if (error) {
      py::error_already_set e = std::move(*error);
      error.reset();
      throw e;
    }
  }
};

void onStageBegin(WeftStringRef stage, unsigned index, unsigned count,
                  void *userData) {
  auto *state = static_cast<CallbackState *>(userData);
  if (!state->stageBegin.is_none())
    state->call([&] { state->stageBegin(toString(stage), index, count); });
}

void onStageEnd(WeftStringRef stage, WeftModule module, void *userData) {
  auto *state = static_cast<CallbackState *>(userData);
  // Read back here: the pipe stage copies each loop into every partition.
  if (toString(stage) == "scheduled" && weftScheduleIsNull(state->schedule))
    state->schedule = weftModuleGetSchedules(module);
  if (state->stageEnd.is_none())
    return;
  // Printed without the GIL: large modules take a while.
  std::string text;
  weftModulePrint(module, /*debugInfo=*/true, appendString, &text);
  state->call([&] { state->stageEnd(toString(stage), text); });
}

void onProgress(WeftStringRef function, int phase, int64_t ii,
                int64_t lowerBound, double elapsedMs, void *userData) {
  auto *state = static_cast<CallbackState *>(userData);
  if (!state->progress.is_none())
    state->call([&] {
      state->progress(toString(function), phase, ii, lowerBound, elapsedMs);
    });
}

/// Schedules read back from a module; loops come out as dicts with the keys
/// of the exported JSON.
class ScheduleHandle {
public:
  explicit ScheduleHandle(WeftSchedule schedule) : schedule(schedule) {}
  ~ScheduleHandle() { weftScheduleDestroy(schedule); }
  ScheduleHandle(const ScheduleHandle &) = delete;
  ScheduleHandle &operator=(const ScheduleHandle &) = delete;

  py::list loops() const {
    py::list out;
    for (size_t l = 0, n = weftScheduleGetNumLoops(schedule); l < n; ++l) {
      WeftScheduledLoop loop = weftScheduleGetLoop(schedule, l);
      py::list partitions, ops;
      for (size_t p = 0; p < loop.numPartitions; ++p) {
        WeftSchedulePartition part = weftScheduleGetPartition(schedule, l, p);
        py::dict d;
        d["index"] = part.index;
        d["role"] = toString(part.role);
        d["registers"] = part.registers;
        d["registers_needed"] = part.registersNeeded;
        partitions.append(d);
      }
      for (size_t o = 0; o < loop.numOps; ++o) {
        WeftScheduledOp op = weftScheduleGetOp(schedule, l, o);
        py::dict d;
        d["op"] = toString(op.name);
        d["kind"] = toString(op.kind);
        d["unit"] = toString(op.unit);
        d["cycle"] = op.cycle;
        d["stage"] = op.stage;
        d["partition"] = op.partition;
        d["buffers"] = op.buffers;
        d["start_cycles"] = op.startCycles;
        d["occupancy_cycles"] = op.occupancyCycles;
        d["latency_cycles"] = op.latencyCycles;
        d["location"] = toString(op.location);
        ops.append(d);
      }
      py::dict d;
      d["function"] = toString(loop.function);
      d["location"] = toString(loop.location);
      d["ii"] = loop.ii;
      d["lower_bound"] = loop.lowerBound;
      d["proven_optimal"] = loop.provenOptimal;
      d["ii_cycles"] = loop.iiCycles;
      d["stages"] = loop.stages;
      d["length"] = loop.length;
      d["partitions"] = partitions;
      d["ops"] = ops;
      out.append(d);
    }
    return out;
  }

  std::string write(const std::string &format, unsigned iterations,
                    intptr_t loop) const {
    WeftScheduleFormat f;
    if (format == "json")
      f = WeftScheduleFormatJSON;
    else if (format == "trace")
      f = WeftScheduleFormatTrace;
    else if (format == "svg")
      f = WeftScheduleFormatSVG;
    else if (format == "summary")
      f = WeftScheduleFormatSummary;
    else
      throw py::value_error("schedule format must be json, trace, svg or "
                            "summary, not '" + format + "'");
    std::string text;
    weftScheduleWrite(schedule, f, iterations, loop, appendString, &text);
    return text;
  }

  WeftSchedule schedule;
};

class ModuleHandle {
public:
  ModuleHandle(std::shared_ptr<ContextHandle> context, WeftModule module)
      : context(std::move(context)), module(module) {}
  ~ModuleHandle() { weftModuleDestroy(module); }
  ModuleHandle(const ModuleHandle &) = delete;
  ModuleHandle &operator=(const ModuleHandle &) = delete;

  std::string print(bool debugInfo) const {
    std::string text;
    weftModulePrint(module, debugInfo, appendString, &text);
    return text;
  }

  void runPasses(const std::string &pipeline) {
    bool ok;
    {
      py::gil_scoped_release release;
      ok = weftModuleRunPassPipeline(module, toRef(pipeline));
    }
    if (!ok)
      context->fail("the pass pipeline");
  }

  /// Returns (timing report, the schedules after the schedule stage).
  py::tuple compile(const std::string &target, const std::string &tileSizes,
                      unsigned timeoutMs, py::object stageBegin,
                      py::object stageEnd, py::object progress, bool timing) {
    CallbackState state{stageBegin, stageEnd, progress, std::nullopt, {}, {nullptr}};
    WeftCompileOptions options = weftCompileOptionsGetDefault();
    options.target = target.c_str();
    options.tileSizes = tileSizes.empty() ? nullptr : tileSizes.c_str();
    options.scheduleTimeoutMs = timeoutMs;
    options.onStageBegin = onStageBegin;
    options.onStageEnd = onStageEnd;
    options.onSolverProgress = onProgress;
    if (timing)
      options.onTimingReport = [](WeftStringRef text, void *userData) {
        appendString(text, &static_cast<CallbackState *>(userData)->timing);
      };
    options.userData = &state;
    bool ok;
    {
      py::gil_scoped_release release;
      ok = weftModuleCompile(module, &options);
    }
    std::unique_ptr<ScheduleHandle> schedule;
    if (!weftScheduleIsNull(state.schedule))
      schedule = std::make_unique<ScheduleHandle>(state.schedule);
    state.rethrow();
    if (!ok)
      context->fail("compiling for " + target);
    return py::make_tuple(state.timing, std::move(schedule));
  }

  py::list run(const std::string &function, py::list args, int backend,
               std::array<int64_t, 3> grid, uint64_t maxSteps) {
    // Owned, contiguous float64 / int64 copies made by weft/api.py.
    std::vector<py::array> arrays;
    std::vector<std::vector<int64_t>> shapes;
    std::vector<WeftBuffer> buffers;
    for (py::handle arg : args) {
      py::array array = py::reinterpret_borrow<py::array>(arg);
      bool isFloat = py::isinstance<py::array_t<double>>(array);
      if (!isFloat && !py::isinstance<py::array_t<int64_t>>(array))
        throw py::type_error("run: arguments must be float64 or int64 arrays");
      if (!(array.flags() & py::array::c_style))
        throw py::type_error("run: arguments must be C-contiguous");
      arrays.push_back(array);
      shapes.emplace_back(array.shape(), array.shape() + array.ndim());
    }
    for (size_t i = 0; i < arrays.size(); ++i)
      buffers.push_back({py::isinstance<py::array_t<double>>(arrays[i])
                             ? WeftBufferF64
                             : WeftBufferI64,
                         static_cast<int64_t>(shapes[i].size()),
                         shapes[i].data(), arrays[i].mutable_data()});
    WeftRunOptions options = weftRunOptionsGetDefault();
    options.backend = static_cast<WeftBackend>(backend);
    for (int d = 0; d < 3; ++d)
      options.grid[d] = grid[d];
    options.maxSteps = maxSteps;
    WeftRunResult result;
    {
      py::gil_scoped_release release;
      result = weftRunFunction(module, toRef(function), buffers.data(),
                               buffers.size(), &options);
    }
    if (weftRunResultIsNull(result))
      context->fail("running @" + function);
    std::unique_ptr<void, void (*)(void *)> owner(
        result.ptr, [](void *p) { weftRunResultDestroy({p}); });
    py::list values;
    for (size_t v = 0, n = weftRunResultGetNumValues(result); v < n; ++v) {
      const int64_t *shape = weftRunResultGetShape(result, v);
      std::vector<py::ssize_t> dims(shape, shape + weftRunResultGetRank(result, v));
      py::array array;
      if (weftRunResultGetKind(result, v) == WeftBufferF64)
        array = py::array_t<double>(
            dims, static_cast<const double *>(weftRunResultGetData(result, v)));
      else
        array = py::array_t<int64_t>(
            dims,
            static_cast<const int64_t *>(weftRunResultGetData(result, v)));
      values.append(py::make_tuple(
          toString(weftRunResultGetElementType(result, v)), array));
    }
    return values;
  }

  std::shared_ptr<ContextHandle> context;
  WeftModule module;
};

std::unique_ptr<ModuleHandle> adopt(std::shared_ptr<ContextHandle> context,
                                WeftModule module, const std::string &what) {
  if (weftModuleIsNull(module))
    context->fail(what);
  return std::make_unique<ModuleHandle>(std::move(context), module);
}
} // namespace

PYBIND11_MODULE(_weft, m) {
  m.doc() = "Weft's C API (include/weft-c) for Python; use the weft package.";
  m.def("known_targets",
        [] { return toString(weftGetKnownTargets()); });
  m.def("compile_stages", [](const std::string &target) {
    return toString(weftGetCompileStages(target.c_str()));
  });

  py::class_<ContextHandle, std::shared_ptr<ContextHandle>>(m, "Context")
      .def(py::init<>())
      .def_property_readonly("diagnostics", &ContextHandle::diagnostics);

  py::class_<ModuleHandle>(m, "Module")
      .def_static(
          "import_onnx_file",
          [](std::shared_ptr<ContextHandle> ctx, const std::string &path) {
            WeftModule module;
            {
              py::gil_scoped_release release;
              module = weftModuleImportONNXFile(ctx->context, toRef(path));
            }
            return adopt(ctx, module, "importing " + path);
          })
      .def_static("import_onnx_bytes",
                  [](std::shared_ptr<ContextHandle> ctx, const py::bytes &bytes,
                     const std::string &name) {
                    std::string data = bytes;
                    return adopt(ctx,
                                 weftModuleImportONNXBytes(
                                     ctx->context, toRef(data), toRef(name)),
                                 "importing " + name);
                  })
      .def_static("parse",
                  [](std::shared_ptr<ContextHandle> ctx, const std::string &text,
                     const std::string &name) {
                    return adopt(ctx,
                                 weftModuleParse(ctx->context, toRef(text),
                                                 toRef(name)),
                                 "parsing " + name);
                  })
      .def("clone",
           [](ModuleHandle &self) {
             return std::make_unique<ModuleHandle>(self.context,
                                               weftModuleClone(self.module));
           })
      .def("print", &ModuleHandle::print, py::arg("debug_info") = false)
      .def("run_passes", &ModuleHandle::runPasses)
      .def("compile", &ModuleHandle::compile, py::arg("target"),
           py::arg("tile_sizes"), py::arg("timeout_ms"),
           py::arg("on_stage_begin"), py::arg("on_stage_end"),
           py::arg("on_progress"), py::arg("timing"))
      .def("run", &ModuleHandle::run)
      .def("solve_schedules",
           [](ModuleHandle &self, const std::string &target, unsigned timeoutMs,
              py::object progress) {
             CallbackState state{py::none(), py::none(), progress,
                                 std::nullopt, {}, {nullptr}};
             WeftSchedule schedule;
             {
               py::gil_scoped_release release;
               schedule = weftModuleSolveSchedules(
                   self.module, target.c_str(), timeoutMs,
                   progress.is_none() ? nullptr : onProgress, &state);
             }
             state.rethrow();
             if (weftScheduleIsNull(schedule))
               self.context->fail("scheduling for " + target);
             return std::make_unique<ScheduleHandle>(schedule);
           })
      .def("schedules",
           [](ModuleHandle &self) {
             WeftSchedule schedule = weftModuleGetSchedules(self.module);
             if (weftScheduleIsNull(schedule))
               self.context->fail("reading the schedules back");
             return std::make_unique<ScheduleHandle>(schedule);
           })
      .def_property_readonly("diagnostics", [](ModuleHandle &self) {
        return self.context->diagnostics();
      });

  py::class_<ScheduleHandle>(m, "Schedule")
      .def("loops", &ScheduleHandle::loops)
      .def("write", &ScheduleHandle::write, py::arg("format"),
           py::arg("iterations") = 3, py::arg("loop") = -1);
}
