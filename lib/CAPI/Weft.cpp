//===- Weft.cpp - C API of the Weft compiler ------------------------------===//
//
// Thin wrappers: every entry point clears the context's diagnostics, calls
// the C++ library and reports failure as `false` / a null handle. The
// library is built without exceptions, so none can cross this boundary.
//
//===----------------------------------------------------------------------===//
#include "weft-c/Weft.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "weft/Driver/Compile.h"
#include "weft/Frontend/ONNX/ImportONNX.h"
#include "weft/InitAllDialects.h"
#include "weft/InitAllPasses.h"
#include "weft/Interpreter/Interpreter.h"
#include "weft/Schedule/ScheduleExport.h"
#include "weft/Target/MachineModels.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <mutex>

using namespace mlir;
namespace driver = mlir::weft::driver;
namespace interp = mlir::weft::interp;

namespace {
/// What a WeftContext points to: the MLIR context and the diagnostics of the
/// call in progress.
struct ContextImpl {
  DialectRegistry registry;
  std::unique_ptr<MLIRContext> context;
  std::string diagnostics;
  DiagnosticEngine::HandlerID handler = 0;
  /// Strings handed out by value-returning getters, kept alive here.
  std::string scratch;
};

struct ModuleImpl {
  ContextImpl *context;
  OwningOpRef<ModuleOp> module;
};

struct ScheduleImpl {
  std::vector<mlir::weft::ScheduledLoop> loops;
};

struct RunResultImpl {
  struct Value {
    std::string elementType;
    interp::HostArray array;
  };
  std::vector<Value> values;
};
} // namespace

static ContextImpl *unwrap(WeftContext c) {
  return static_cast<ContextImpl *>(c.ptr);
}
static ModuleImpl *unwrap(WeftModule m) {
  return static_cast<ModuleImpl *>(m.ptr);
}
static ScheduleImpl *unwrap(WeftSchedule s) {
  return static_cast<ScheduleImpl *>(s.ptr);
}
static RunResultImpl *unwrap(WeftRunResult r) {
  return static_cast<RunResultImpl *>(r.ptr);
}
static StringRef unwrap(WeftStringRef s) { return StringRef(s.data, s.length); }
static WeftStringRef wrap(StringRef s) { return {s.data(), s.size()}; }
static WeftModule wrap(ModuleImpl *m) { return {m}; }

/// Starts an API call: the diagnostics of earlier calls are dropped.
static ContextImpl &begin(ContextImpl *context) {
  context->diagnostics.clear();
  return *context;
}

/// Adapts a C string callback to a raw_ostream.
namespace {
class CallbackOStream : public llvm::raw_ostream {
public:
  CallbackOStream(WeftStringCallback callback, void *userData)
      : callback(callback), userData(userData) {
    SetUnbuffered();
  }

private:
  void write_impl(const char *ptr, size_t size) override {
    if (callback && size)
      callback({ptr, size}, userData);
    position += size;
  }
  uint64_t current_pos() const override { return position; }
  WeftStringCallback callback;
  void *userData;
  uint64_t position = 0;
};
} // namespace

//===----------------------------------------------------------------------===//
// Context
//===----------------------------------------------------------------------===//

WeftContext weftContextCreate(void) {
  // Pass registration is global and idempotent; pipelines parse by name.
  static std::once_flag registered;
  std::call_once(registered, [] { mlir::weft::registerAllPasses(); });
  auto *impl = new ContextImpl();
  mlir::weft::registerAllDialects(impl->registry);
  impl->context = std::make_unique<MLIRContext>(impl->registry);
  impl->context->loadAllAvailableDialects();
  // Diagnostics point at ONNX nodes / source lines; printing the whole op
  // (a tiled loop) with each would bury the message.
  impl->context->printOpOnDiagnostic(false);
  impl->handler = impl->context->getDiagEngine().registerHandler(
      [impl](Diagnostic &diag) {
        llvm::raw_string_ostream os(impl->diagnostics);
        driver::printDiagnostic(diag, os);
        return success();
      });
  return {impl};
}

void weftContextDestroy(WeftContext context) { delete unwrap(context); }

WeftStringRef weftContextGetDiagnostics(WeftContext context) {
  return wrap(unwrap(context)->diagnostics);
}

WeftStringRef weftGetKnownTargets(void) {
  static const std::string names =
      llvm::join(::weft::target::knownMachineNames(), ",");
  return wrap(names);
}

//===----------------------------------------------------------------------===//
// Modules
//===----------------------------------------------------------------------===//

static WeftModule adopt(ContextImpl &context, OwningOpRef<ModuleOp> module) {
  if (!module)
    return {nullptr};
  return wrap(new ModuleImpl{&context, std::move(module)});
}

WeftModule weftModuleImportONNXFile(WeftContext context, WeftStringRef path) {
  ContextImpl &ctx = begin(unwrap(context));
  auto buffer = llvm::MemoryBuffer::getFile(unwrap(path), /*IsText=*/false);
  if (!buffer) {
    ctx.diagnostics = "error: cannot read " + unwrap(path).str() + ": " +
                      buffer.getError().message() + "\n";
    return {nullptr};
  }
  return adopt(ctx, mlir::weft::importONNX((*buffer)->getBuffer(),
                                           unwrap(path), ctx.context.get()));
}

WeftModule weftModuleImportONNXBytes(WeftContext context, WeftStringRef bytes,
                                     WeftStringRef name) {
  ContextImpl &ctx = begin(unwrap(context));
  return adopt(ctx, mlir::weft::importONNX(unwrap(bytes), unwrap(name),
                                           ctx.context.get()));
}

WeftModule weftModuleParse(WeftContext context, WeftStringRef text,
                           WeftStringRef name) {
  ContextImpl &ctx = begin(unwrap(context));
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(unwrap(text), unwrap(name)),
      llvm::SMLoc());
  // Parse errors are reported through the context's handler like the rest.
  return adopt(ctx, parseSourceFile<ModuleOp>(sourceMgr, ctx.context.get()));
}

WeftModule weftModuleClone(WeftModule module) {
  ModuleImpl *m = unwrap(module);
  return wrap(new ModuleImpl{m->context, OwningOpRef<ModuleOp>(
                                             m->module->clone())});
}

void weftModuleDestroy(WeftModule module) { delete unwrap(module); }

void weftModulePrint(WeftModule module, bool debugInfo,
                     WeftStringCallback callback, void *userData) {
  CallbackOStream os(callback, userData);
  OpPrintingFlags flags;
  if (debugInfo)
    flags.enableDebugInfo(true, /*prettyForm=*/false);
  unwrap(module)->module->print(os, flags);
}

/// Splits a pass list at top-level commas (not inside `{options}` or
/// nested `op(...)` pipelines).
static SmallVector<StringRef> splitPassList(StringRef text) {
  SmallVector<StringRef> elements;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '{' || c == '(')
      ++depth;
    else if (c == '}' || c == ')')
      --depth;
    else if (c == ',' && depth == 0) {
      elements.push_back(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  elements.push_back(text.drop_front(start).trim());
  return elements;
}

/// Nests each element of a pass list under the op its pass is anchored on
/// ("weft-wrap-kernels" -> "func.func(weft-wrap-kernels)"), as weft-opt's
/// command-line flags do; elements that already name a nested pipeline or
/// whose pass runs on modules (or any op) stay as they are.
static std::string nestByAnchor(StringRef text) {
  std::string nested;
  for (StringRef element : splitPassList(text)) {
    if (!nested.empty())
      nested += ",";
    std::string anchor;
    if (!element.contains('(')) {
      OpPassManager probe(OpPassManager::Nesting::Implicit);
      std::string ignored;
      llvm::raw_string_ostream errors(ignored);
      if (succeeded(parsePassPipeline(element, probe, errors)) &&
          probe.size() == 1)
        if (std::optional<StringRef> opName = probe.begin()->getOpName())
          if (*opName != ModuleOp::getOperationName())
            anchor = opName->str();
    }
    nested += anchor.empty() ? element.str()
                             : anchor + "(" + element.str() + ")";
  }
  return nested;
}

bool weftModuleRunPassPipeline(WeftModule module, WeftStringRef pipeline) {
  ModuleImpl *m = unwrap(module);
  ContextImpl &ctx = begin(m->context);
  StringRef text = unwrap(pipeline).trim();
  if (text.consume_front("builtin.module(") && !text.consume_back(")")) {
    ctx.diagnostics = "error: unbalanced parentheses in pass pipeline\n";
    return false;
  }
  PassManager pm(ctx.context.get(), ModuleOp::getOperationName());
  std::string errors;
  llvm::raw_string_ostream errorStream(errors);
  if (failed(parsePassPipeline(nestByAnchor(text), pm, errorStream))) {
    ctx.diagnostics += "error: invalid pass pipeline '" +
                       unwrap(pipeline).str() + "': " + errors + "\n";
    return false;
  }
  return succeeded(pm.run(*m->module));
}

//===----------------------------------------------------------------------===//
// Compiling
//===----------------------------------------------------------------------===//

WeftCompileOptions weftCompileOptionsGetDefault(void) {
  WeftCompileOptions options = {};
  options.target = "sm_90a";
  options.scheduleTimeoutMs = driver::CompileOptions().scheduleTimeoutMs;
  return options;
}

WeftStringRef weftGetCompileStages(const char *target) {
  // One string per target name, kept for the life of the process.
  static std::mutex mutex;
  static llvm::StringMap<std::string> cache;
  std::lock_guard<std::mutex> lock(mutex);
  std::string &entry = cache[target ? target : ""];
  if (entry.empty())
    entry = llvm::join(driver::compileStages(target ? target : ""), ",");
  return wrap(entry);
}

/// Solver progress goes to a C callback, one call at a time (weft-schedule
/// runs on several functions in parallel).
static mlir::weft::ScheduleProgressFn
progressToC(WeftSolverProgressCallback callback, void *userData) {
  if (!callback)
    return nullptr;
  auto mutex = std::make_shared<std::mutex>();
  return [=](scf::ForOp loop, const ::weft::schedule::SolverProgress &p) {
    std::string function;
    if (auto func = loop->getParentOfType<func::FuncOp>())
      function = func.getSymName().str();
    std::lock_guard<std::mutex> lock(*mutex);
    callback(wrap(function), p.phase, p.ii, p.lowerBound, p.elapsedMs,
             userData);
  };
}

bool weftModuleCompile(WeftModule module, const WeftCompileOptions *options) {
  ModuleImpl *m = unwrap(module);
  ContextImpl &ctx = begin(m->context);
  if (!options || !options->target) {
    ctx.diagnostics = "error: weftModuleCompile needs options with a target\n";
    return false;
  }
  driver::CompileOptions compileOptions;
  compileOptions.target = options->target;
  if (options->tileSizes)
    compileOptions.tileSizes = options->tileSizes;
  compileOptions.scheduleTimeoutMs = options->scheduleTimeoutMs;

  // The stream outlives the manager, which may print when destroyed.
  std::optional<CallbackOStream> timingStream;
  DefaultTimingManager timingManager;
  timingManager.setEnabled(options->onTimingReport != nullptr);
  if (options->onTimingReport) {
    timingStream.emplace(options->onTimingReport, options->userData);
    timingManager.setOutput(createOutputStrategy(
        DefaultTimingManager::OutputFormat::Text, *timingStream));
  }
  TimingScope rootTiming = timingManager.getRootScope();
  if (options->onTimingReport)
    compileOptions.timing = &rootTiming;

  driver::CompileObserver observer;
  if (options->onStageBegin)
    observer.onStageBegin = [options](unsigned index, unsigned count,
                                      StringRef stage) {
      options->onStageBegin(wrap(stage), index, count, options->userData);
    };
  if (options->onStageEnd)
    observer.onStageEnd = [options, m](StringRef stage,
                                       ModuleOp) -> LogicalResult {
      options->onStageEnd(wrap(stage), wrap(m), options->userData);
      return success();
    };
  observer.onScheduleProgress =
      progressToC(options->onSolverProgress, options->userData);
  bool ok = succeeded(
      driver::compileModule(*m->module, compileOptions, observer));
  rootTiming.stop();
  if (options->onTimingReport) {
    timingManager.print();
    timingManager.setEnabled(false);
  }
  return ok;
}

//===----------------------------------------------------------------------===//
// Running
//===----------------------------------------------------------------------===//

WeftRunOptions weftRunOptionsGetDefault(void) {
  WeftRunOptions options = {};
  options.backend = WeftBackendInterpreter;
  options.grid[0] = options.grid[1] = options.grid[2] = 1;
  return options;
}

static std::string typeString(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

/// Converts `buffer` into a host array of `type`'s elements, checking the
/// shape against the static dimensions of a memref.
static LogicalResult bindArgument(func::FuncOp func, unsigned index,
                                  const WeftBuffer &buffer,
                                  interp::RuntimeArg &arg) {
  Type type = func.getFunctionType().getInput(index);
  auto memref = dyn_cast<MemRefType>(type);
  Type element = memref ? memref.getElementType() : type;
  auto fail = [&](const Twine &message) {
    return func.emitError("argument #")
           << index << " (" << typeString(type) << "): " << message;
  };
  if (isa<ShapedType>(type) && !memref)
    return fail("only memref and scalar arguments can be bound");
  if (!element.isIntOrIndexOrFloat() ||
      (element.isInteger() && element.getIntOrFloatBitWidth() > 64))
    return fail("unsupported element type");
  if (buffer.rank < 0 || (buffer.rank > 0 && !buffer.shape) || !buffer.data)
    return fail("malformed buffer");
  ArrayRef<int64_t> shape(buffer.shape, buffer.rank);
  if (memref) {
    if (memref.getRank() != buffer.rank)
      return fail("expected rank " + Twine(memref.getRank()) + ", got " +
                  Twine(buffer.rank));
    for (auto [expected, got] : llvm::zip(memref.getShape(), shape))
      if (got < 0 || (!ShapedType::isDynamic(expected) && expected != got))
        return fail("shape mismatch: expected " + typeString(type) +
                    ", got " +
                    llvm::join(llvm::map_range(
                                   shape,
                                   [](int64_t d) { return std::to_string(d); }),
                               "x"));
  } else if (buffer.rank != 0) {
    return fail("a scalar argument needs a rank-0 value");
  }
  arg.isMemRef = static_cast<bool>(memref);
  arg.data = std::make_shared<interp::HostArray>(element, shape);
  interp::HostArray &array = *arg.data;
  for (int64_t i = 0, n = array.numElements(); i < n; ++i) {
    double asDouble = buffer.kind == WeftBufferF64
                          ? static_cast<const double *>(buffer.data)[i]
                          : double(static_cast<const int64_t *>(buffer.data)[i]);
    int64_t asInt = buffer.kind == WeftBufferI64
                        ? static_cast<const int64_t *>(buffer.data)[i]
                        : static_cast<int64_t>(asDouble);
    if (array.isFloat())
      array.floats[i] = interp::roundToFloatType(asDouble, element);
    else
      array.ints[i] = interp::normalizeInt(asInt, element);
  }
  return success();
}

/// Writes a memref argument's final contents back into its buffer.
static void writeBack(const interp::HostArray &array, const WeftBuffer &buffer) {
  for (int64_t i = 0, n = array.numElements(); i < n; ++i) {
    if (buffer.kind == WeftBufferF64)
      static_cast<double *>(buffer.data)[i] = array.getDouble(i);
    else
      static_cast<int64_t *>(buffer.data)[i] =
          array.isFloat() ? static_cast<int64_t>(array.floats[i])
                          : array.ints[i];
  }
}

WeftRunResult weftRunFunction(WeftModule module, WeftStringRef function,
                              const WeftBuffer *args, size_t numArgs,
                              const WeftRunOptions *options) {
  ModuleImpl *m = unwrap(module);
  begin(m->context);
  WeftRunOptions runOptions =
      options ? *options : weftRunOptionsGetDefault();
  auto func = m->module->lookupSymbol<func::FuncOp>(unwrap(function));
  if (!func || func.isExternal()) {
    (void)(m->module->emitError("no function @")
        << unwrap(function) << " with a body in the module");
    return {nullptr};
  }
  if (runOptions.backend != WeftBackendInterpreter) {
    // The native CPU backend is built on another branch; until it lands this
    // build says so instead of silently interpreting.
    (void)(func.emitError("backend ")
        << static_cast<int>(runOptions.backend)
        << " (native) is not available in this build of Weft; use the "
           "interpreter backend");
    return {nullptr};
  }
  if (numArgs != func.getNumArguments()) {
    (void)(func.emitError("@")
        << func.getSymName() << " takes " << func.getNumArguments()
        << " arguments, got " << numArgs);
    return {nullptr};
  }
  std::vector<interp::RuntimeArg> bound(numArgs);
  for (size_t i = 0; i < numArgs; ++i)
    if (failed(bindArgument(func, i, args[i], bound[i])))
      return {nullptr};
  interp::RunOptions interpOptions;
  if (llvm::all_of(runOptions.grid, [](int64_t d) { return d == 0; })) {
    auto grid = func->getAttrOfType<DenseI64ArrayAttr>("weft.grid");
    for (unsigned d = 0; d < 3; ++d)
      runOptions.grid[d] = grid && d < grid.size() ? grid[d] : 1;
  }
  for (unsigned d = 0; d < 3; ++d) {
    if (runOptions.grid[d] < 1) {
      (void)(func.emitError("grid dimensions must be positive"));
      return {nullptr};
    }
    interpOptions.grid[d] = runOptions.grid[d];
  }
  interpOptions.maxSteps = runOptions.maxSteps;
  SmallVector<interp::RuntimeArg> results;
  if (failed(interp::runFunction(func, bound, interpOptions, results)))
    return {nullptr};
  for (size_t i = 0; i < numArgs; ++i)
    if (bound[i].isMemRef)
      writeBack(*bound[i].data, args[i]);
  auto *result = new RunResultImpl();
  for (const interp::RuntimeArg &value : results)
    result->values.push_back(
        {typeString(value.data->elementType), *value.data});
  return {result};
}

void weftRunResultDestroy(WeftRunResult result) { delete unwrap(result); }

size_t weftRunResultGetNumValues(WeftRunResult result) {
  return unwrap(result)->values.size();
}

int64_t weftRunResultGetRank(WeftRunResult result, size_t value) {
  return unwrap(result)->values[value].array.shape.size();
}

const int64_t *weftRunResultGetShape(WeftRunResult result, size_t value) {
  return unwrap(result)->values[value].array.shape.data();
}

WeftStringRef weftRunResultGetElementType(WeftRunResult result, size_t value) {
  return wrap(unwrap(result)->values[value].elementType);
}

WeftBufferKind weftRunResultGetKind(WeftRunResult result, size_t value) {
  return unwrap(result)->values[value].array.isFloat() ? WeftBufferF64
                                                       : WeftBufferI64;
}

const void *weftRunResultGetData(WeftRunResult result, size_t value) {
  const interp::HostArray &array = unwrap(result)->values[value].array;
  return array.isFloat() ? static_cast<const void *>(array.floats.data())
                         : static_cast<const void *>(array.ints.data());
}

//===----------------------------------------------------------------------===//
// Schedules
//===----------------------------------------------------------------------===//

WeftSchedule weftModuleGetSchedules(WeftModule module) {
  ModuleImpl *m = unwrap(module);
  begin(m->context);
  FailureOr<std::vector<mlir::weft::ScheduledLoop>> loops =
      mlir::weft::collectSchedules(*m->module);
  if (failed(loops))
    return {nullptr};
  return {new ScheduleImpl{std::move(*loops)}};
}

WeftSchedule weftModuleSolveSchedules(WeftModule module, const char *target,
                                      unsigned timeoutMs,
                                      WeftSolverProgressCallback onProgress,
                                      void *userData) {
  ModuleImpl *m = unwrap(module);
  ContextImpl &ctx = begin(m->context);
  std::string machine = target ? target : "";
  if (!driver::isKnownTarget(machine)) {
    (void)(m->module->emitError("unknown target '")
        << machine << "'; known: "
        << llvm::join(::weft::target::knownMachineNames(), ", "));
    return {nullptr};
  }
  PassManager pm(ctx.context.get());
  if (failed(parsePassPipeline("weft-attach-machine{target=" + machine + "}",
                               pm)))
    return {nullptr};
  mlir::weft::WeftScheduleOptions options;
  options.target = machine;
  options.timeoutMs = timeoutMs;
  pm.nest<func::FuncOp>().addPass(mlir::weft::createWeftSchedule(
      options, progressToC(onProgress, userData)));
  if (failed(pm.run(*m->module)))
    return {nullptr};
  // Keep the solver's remarks (e.g. why a schedule is not proven optimal).
  std::string remarks = std::move(ctx.diagnostics);
  WeftSchedule schedule = weftModuleGetSchedules(module);
  ctx.diagnostics = remarks + ctx.diagnostics;
  return schedule;
}

void weftScheduleDestroy(WeftSchedule schedule) { delete unwrap(schedule); }

size_t weftScheduleGetNumLoops(WeftSchedule schedule) {
  return unwrap(schedule)->loops.size();
}

static const mlir::weft::ScheduledLoop *getLoop(WeftSchedule schedule,
                                                size_t loop) {
  const ScheduleImpl *s = unwrap(schedule);
  return loop < s->loops.size() ? &s->loops[loop] : nullptr;
}

WeftScheduledLoop weftScheduleGetLoop(WeftSchedule schedule, size_t loop) {
  WeftScheduledLoop out = {};
  if (const mlir::weft::ScheduledLoop *l = getLoop(schedule, loop))
    out = {wrap(l->function), wrap(l->location), l->ii,
           l->lowerBound,      l->iiCycles,      l->stages,
           l->length,          l->provenOptimal, l->partitions.size(),
           l->ops.size()};
  return out;
}

WeftSchedulePartition weftScheduleGetPartition(WeftSchedule schedule,
                                               size_t loop, size_t partition) {
  WeftSchedulePartition out = {};
  const mlir::weft::ScheduledLoop *l = getLoop(schedule, loop);
  if (l && partition < l->partitions.size()) {
    const mlir::weft::SchedulePartition &p = l->partitions[partition];
    out = {p.index, wrap(p.role), p.registers, p.registersNeeded};
  }
  return out;
}

WeftScheduledOp weftScheduleGetOp(WeftSchedule schedule, size_t loop,
                                  size_t op) {
  WeftScheduledOp out = {};
  const mlir::weft::ScheduledLoop *l = getLoop(schedule, loop);
  if (l && op < l->ops.size()) {
    const mlir::weft::ScheduledOp &o = l->ops[op];
    out = {wrap(o.name),  wrap(o.kind),     wrap(o.unit),
           wrap(o.location), o.cycle,       o.stage,
           o.partition,   o.buffers,        o.startCycles,
           o.occupancyCycles, o.latencyCycles};
  }
  return out;
}

void weftScheduleWrite(WeftSchedule schedule, WeftScheduleFormat format,
                       unsigned iterations, intptr_t loop,
                       WeftStringCallback callback, void *userData) {
  CallbackOStream os(callback, userData);
  mlir::weft::ScheduleFormat cppFormat = mlir::weft::ScheduleFormat::JSON;
  switch (format) {
  case WeftScheduleFormatJSON: break;
  case WeftScheduleFormatTrace:
    cppFormat = mlir::weft::ScheduleFormat::ChromeTrace;
    break;
  case WeftScheduleFormatSVG: cppFormat = mlir::weft::ScheduleFormat::SVG; break;
  case WeftScheduleFormatSummary:
    cppFormat = mlir::weft::ScheduleFormat::Summary;
    break;
  }
  ArrayRef<mlir::weft::ScheduledLoop> loops = unwrap(schedule)->loops;
  if (loop >= 0)
    loops = static_cast<size_t>(loop) < loops.size()
                ? loops.slice(loop, 1)
                : ArrayRef<mlir::weft::ScheduledLoop>();
  mlir::weft::writeSchedules(loops, cppFormat, os, iterations);
}
