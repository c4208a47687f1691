/*===- weft-c/Weft.h - C API of the Weft compiler ------------------*- C -*-===*\
|*                                                                            *|
|* A small, stable C interface over Weft, in the style of MLIR's mlir-c:     *|
|* opaque handles passed by value, strings as (data, length) views, results  *|
|* reported as `bool` with the diagnostics of the failing call kept on the   *|
|* context (weftContextGetDiagnostics). No C++ exception crosses it.         *|
|*                                                                            *|
|* Covers: importing ONNX models, parsing / printing IR, running textual     *|
|* pass pipelines, compiling a model for a target (the pipeline of           *|
|* weft-compile), running a function on the CPU (interpreter backend; a      *|
|* native backend plugs in through WeftBackend), and solving schedules and   *|
|* reading them back.                                                        *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
#ifndef WEFT_C_WEFT_H
#define WEFT_C_WEFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WEFT_CAPI_EXPORTED __attribute__((visibility("default")))

#define WEFT_DEFINE_C_API_STRUCT(name)                                         \
  struct name {                                                                \
    void *ptr;                                                                 \
  };                                                                           \
  typedef struct name name

/// Owns an MLIR context with Weft's dialects and the diagnostics of the last
/// call made with it. Not thread-safe: use one context per thread.
WEFT_DEFINE_C_API_STRUCT(WeftContext);
/// An owned builtin.module.
WEFT_DEFINE_C_API_STRUCT(WeftModule);
/// The schedules read back from a scheduled module (owned, self-contained).
WEFT_DEFINE_C_API_STRUCT(WeftSchedule);
/// The results of one run (owned).
WEFT_DEFINE_C_API_STRUCT(WeftRunResult);

#undef WEFT_DEFINE_C_API_STRUCT

/// A string view; not null-terminated in general.
typedef struct WeftStringRef {
  const char *data;
  size_t length;
} WeftStringRef;

/// Receives printed text, possibly in several pieces.
typedef void (*WeftStringCallback)(WeftStringRef text, void *userData);

//===----------------------------------------------------------------------===//
// Context and diagnostics
//===----------------------------------------------------------------------===//

WEFT_CAPI_EXPORTED WeftContext weftContextCreate(void);
WEFT_CAPI_EXPORTED void weftContextDestroy(WeftContext context);
/// Every diagnostic (errors, warnings, remarks, with their notes) emitted by
/// the last API call that used `context`, one "<location>: <severity>:
/// <message>" line each. Valid until the next call with this context.
WEFT_CAPI_EXPORTED WeftStringRef weftContextGetDiagnostics(WeftContext context);
/// The machine presets targets may name, comma-separated.
WEFT_CAPI_EXPORTED WeftStringRef weftGetKnownTargets(void);

//===----------------------------------------------------------------------===//
// Modules
//===----------------------------------------------------------------------===//

static inline bool weftModuleIsNull(WeftModule module) { return !module.ptr; }

/// Imports an ONNX model (file, or serialized bytes named `name` in
/// diagnostics) into the `weft` graph dialect; null on failure.
WEFT_CAPI_EXPORTED WeftModule weftModuleImportONNXFile(WeftContext context,
                                                       WeftStringRef path);
WEFT_CAPI_EXPORTED WeftModule weftModuleImportONNXBytes(WeftContext context,
                                                        WeftStringRef bytes,
                                                        WeftStringRef name);
/// Parses textual IR; `name` is the buffer name used in locations.
WEFT_CAPI_EXPORTED WeftModule weftModuleParse(WeftContext context,
                                              WeftStringRef text,
                                              WeftStringRef name);
WEFT_CAPI_EXPORTED WeftModule weftModuleClone(WeftModule module);
WEFT_CAPI_EXPORTED void weftModuleDestroy(WeftModule module);
/// Prints the module (with locations when `debugInfo`).
WEFT_CAPI_EXPORTED void weftModulePrint(WeftModule module, bool debugInfo,
                                        WeftStringCallback callback,
                                        void *userData);

/// Runs a textual pass pipeline on the module in place: either
/// "builtin.module(...)" or a list of passes on the module
/// ("weft-graph-fusion,func.func(canonicalize)"); passes anchored on nested
/// ops are nested implicitly.
WEFT_CAPI_EXPORTED bool weftModuleRunPassPipeline(WeftModule module,
                                                  WeftStringRef pipeline);

//===----------------------------------------------------------------------===//
// Compiling a model
//===----------------------------------------------------------------------===//

/// Called before each stage (1-based index of `count`).
typedef void (*WeftStageBeginCallback)(WeftStringRef stage, unsigned index,
                                       unsigned count, void *userData);
/// Called after each stage with the module (borrowed, valid during the call)
/// in that stage's IR.
typedef void (*WeftStageEndCallback)(WeftStringRef stage, WeftModule module,
                                     void *userData);
/// Called by the schedule solver before each II it tries: phase 1 (modulo
/// schedule, the certificate) or 2 (joint SWP + WS), in normalized units.
typedef void (*WeftSolverProgressCallback)(WeftStringRef function, int phase,
                                           int64_t ii, int64_t lowerBound,
                                           double elapsedMs, void *userData);

typedef struct WeftCompileOptions {
  /// Machine preset (weftGetKnownTargets); required.
  const char *target;
  /// Options of weft-tile-kernels ("tile-m=64 tile-n=64 tile-k=32"); null or
  /// empty: the target's default.
  const char *tileSizes;
  /// Solver budget per loop.
  unsigned scheduleTimeoutMs;
  /// Every callback may be null; all receive `userData`.
  WeftStageBeginCallback onStageBegin;
  WeftStageEndCallback onStageEnd;
  WeftSolverProgressCallback onSolverProgress;
  /// When set, passes are timed and the -mlir-timing style report is written
  /// here at the end.
  WeftStringCallback onTimingReport;
  void *userData;
} WeftCompileOptions;

/// Defaults of weft-compile: target sm_90a, default tiles, 30 s per loop.
WEFT_CAPI_EXPORTED WeftCompileOptions weftCompileOptionsGetDefault(void);
/// The stages weftModuleCompile runs for `target`, comma-separated (after
/// the import stage "graph").
WEFT_CAPI_EXPORTED WeftStringRef weftGetCompileStages(const char *target);

/// Compiles an imported model in place, as weft-compile does: graph fusion,
/// tiling, machine model + optimal schedules, and pipe programs on GPUs.
WEFT_CAPI_EXPORTED bool weftModuleCompile(WeftModule module,
                                          const WeftCompileOptions *options);

//===----------------------------------------------------------------------===//
// Running on the CPU
//===----------------------------------------------------------------------===//

/// Where a function runs. The interpreter runs tile and pipe programs
/// (partitions as concurrent agents, with deadlock and channel checks);
/// native CPU execution plugs in as WeftBackendNative.
typedef enum WeftBackend {
  WeftBackendInterpreter = 0,
  WeftBackendNative = 1,
} WeftBackend;

/// Element storage of a host buffer: the API reads and writes doubles or
/// 64-bit integers and converts to the function's element types (floats
/// rounded to nearest even, integers wrapped).
typedef enum WeftBufferKind {
  WeftBufferF64 = 0,
  WeftBufferI64 = 1,
} WeftBufferKind;

/// A dense row-major host array. A memref argument is updated in place
/// (`data` must then be writable); a scalar argument has rank 0.
typedef struct WeftBuffer {
  WeftBufferKind kind;
  int64_t rank;
  const int64_t *shape;
  void *data;
} WeftBuffer;

typedef struct WeftRunOptions {
  WeftBackend backend;
  /// Program instances along x, y, z; all zero: the function's `weft.grid`
  /// attribute (what weft-tile-kernels puts on a kernel), else 1x1x1.
  int64_t grid[3];
  /// Upper bound on executed operations per program instance (0: none).
  uint64_t maxSteps;
} WeftRunOptions;

WEFT_CAPI_EXPORTED WeftRunOptions weftRunOptionsGetDefault(void);

/// Runs `function` of `module` with `args`; null on failure (the diagnostics
/// say why: argument mismatch, deadlock, out-of-bounds access, a backend
/// this build lacks).
WEFT_CAPI_EXPORTED WeftRunResult weftRunFunction(WeftModule module,
                                                 WeftStringRef function,
                                                 const WeftBuffer *args,
                                                 size_t numArgs,
                                                 const WeftRunOptions *options);
static inline bool weftRunResultIsNull(WeftRunResult r) { return !r.ptr; }
WEFT_CAPI_EXPORTED void weftRunResultDestroy(WeftRunResult result);
/// The values the function returned.
WEFT_CAPI_EXPORTED size_t weftRunResultGetNumValues(WeftRunResult result);
WEFT_CAPI_EXPORTED int64_t weftRunResultGetRank(WeftRunResult result,
                                                size_t value);
WEFT_CAPI_EXPORTED const int64_t *weftRunResultGetShape(WeftRunResult result,
                                                        size_t value);
/// The element type as MLIR spells it ("f16", "i32", ...).
WEFT_CAPI_EXPORTED WeftStringRef
weftRunResultGetElementType(WeftRunResult result, size_t value);
/// WeftBufferF64 for float elements, WeftBufferI64 otherwise.
WEFT_CAPI_EXPORTED WeftBufferKind weftRunResultGetKind(WeftRunResult result,
                                                       size_t value);
/// Element storage (double or int64_t per the kind), row-major.
WEFT_CAPI_EXPORTED const void *weftRunResultGetData(WeftRunResult result,
                                                    size_t value);

//===----------------------------------------------------------------------===//
// Schedules
//===----------------------------------------------------------------------===//

static inline bool weftScheduleIsNull(WeftSchedule s) { return !s.ptr; }

/// Attaches the machine model of `target` and solves the schedule of every
/// tile loop of the module in place (weft-attach-machine, weft-schedule),
/// then reads the schedules back. Null on failure.
WEFT_CAPI_EXPORTED WeftSchedule weftModuleSolveSchedules(
    WeftModule module, const char *target, unsigned timeoutMs,
    WeftSolverProgressCallback onProgress, void *userData);
/// Reads back the schedules of an already scheduled module.
WEFT_CAPI_EXPORTED WeftSchedule weftModuleGetSchedules(WeftModule module);
WEFT_CAPI_EXPORTED void weftScheduleDestroy(WeftSchedule schedule);

/// One scheduled loop. II, bound and length are in the solver's normalized
/// time unit, `iiCycles` in machine cycles. `provenOptimal`: every II in
/// [lowerBound, ii) was shown infeasible (the certificate).
typedef struct WeftScheduledLoop {
  WeftStringRef function, location;
  int64_t ii, lowerBound, iiCycles, stages, length;
  bool provenOptimal;
  size_t numPartitions, numOps;
} WeftScheduledLoop;

/// One warp group: its role, register budget and the registers it needs.
typedef struct WeftSchedulePartition {
  int64_t index;
  WeftStringRef role;
  int64_t registers, registersNeeded;
} WeftSchedulePartition;

/// One op's placement (normalized `cycle`, `stage`, `partition`, buffer
/// depth) and its cost in machine cycles.
typedef struct WeftScheduledOp {
  WeftStringRef name, kind, unit, location;
  int64_t cycle, stage, partition, buffers;
  int64_t startCycles, occupancyCycles, latencyCycles;
} WeftScheduledOp;

/// Views into `schedule`, valid while it lives; indices must be in range
/// (out-of-range indices give zeroed structs).
WEFT_CAPI_EXPORTED size_t weftScheduleGetNumLoops(WeftSchedule schedule);
WEFT_CAPI_EXPORTED WeftScheduledLoop weftScheduleGetLoop(WeftSchedule schedule,
                                                         size_t loop);
WEFT_CAPI_EXPORTED WeftSchedulePartition
weftScheduleGetPartition(WeftSchedule schedule, size_t loop, size_t partition);
WEFT_CAPI_EXPORTED WeftScheduledOp weftScheduleGetOp(WeftSchedule schedule,
                                                     size_t loop, size_t op);

typedef enum WeftScheduleFormat {
  WeftScheduleFormatJSON = 0,
  WeftScheduleFormatTrace = 1,
  WeftScheduleFormatSVG = 2,
  /// A line per loop and one per partition (weft-compile --print-schedule).
  WeftScheduleFormatSummary = 3,
} WeftScheduleFormat;

/// Writes the schedules as weft-translate --export-schedule does
/// (`iterations` overlapped iterations in the trace and SVG): every loop when
/// `loop` is negative, else only that one.
WEFT_CAPI_EXPORTED void weftScheduleWrite(WeftSchedule schedule,
                                          WeftScheduleFormat format,
                                          unsigned iterations, intptr_t loop,
                                          WeftStringCallback callback,
                                          void *userData);

#ifdef __cplusplus
}
#endif

#endif // WEFT_C_WEFT_H
