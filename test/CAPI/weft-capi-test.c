/*===- weft-capi-test.c - the C API used from C ---------------------------===*\
|*                                                                            *|
|* Compiled as C (so the header stays C), linked like any C client. Prints   *|
|* what each call gives; capi.test FileChecks it.                            *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
#include "weft-c/Weft.h"

#include <stdio.h>
#include <string.h>

static WeftStringRef ref(const char *s) {
  WeftStringRef r = {s, strlen(s)};
  return r;
}

static void printText(WeftStringRef text, void *userData) {
  fwrite(text.data, 1, text.length, (FILE *)userData);
}

static void printDiagnostics(WeftContext ctx) {
  WeftStringRef d = weftContextGetDiagnostics(ctx);
  printf("diagnostics: %.*s", (int)d.length, d.data);
}

static const char *kGemm =
    "func.func @gemm(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %k: index)"
    " -> tensor<128x128xf32> {\n"
    "  %c0 = arith.constant 0 : index\n"
    "  %c64 = arith.constant 64 : index\n"
    "  %zero = arith.constant dense<0.0> : tensor<128x128xf32>\n"
    "  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%x = %zero)"
    " -> tensor<128x128xf32> {\n"
    "    %at = tile.load %a[%c0, %kk] : memref<?x?xf16> -> tensor<128x64xf16>"
    " loc(\"load_a\")\n"
    "    %bt = tile.load %b[%kk, %c0] : memref<?x?xf16> -> tensor<64x128xf16>"
    " loc(\"load_b\")\n"
    "    %d = tile.dot %at, %bt, %x : tensor<128x64xf16>, tensor<64x128xf16>"
    " -> tensor<128x128xf32> loc(\"mma\")\n"
    "    scf.yield %d : tensor<128x128xf32>\n"
    "  }\n"
    "  return %acc : tensor<128x128xf32>\n"
    "}\n"
    "func.func @twice(%x: f64) -> f64 {\n"
    "  %y = arith.addf %x, %x : f64\n"
    "  return %y : f64\n"
    "}\n";

static void progress(WeftStringRef function, int phase, int64_t ii,
                     int64_t lowerBound, double elapsedMs, void *userData) {
  (void)elapsedMs;
  ++*(int *)userData;
  if (*(int *)userData == 1)
    printf("progress: %.*s phase %d II %lld bound %lld\n", (int)function.length,
           function.data, phase, (long long)ii, (long long)lowerBound);
}

int main(void) {
  WeftContext ctx = weftContextCreate();
  WeftStringRef targets = weftGetKnownTargets();
  printf("targets: %.*s\n", (int)targets.length, targets.data);

  /* Parse errors come back as diagnostics. */
  WeftModule bad = weftModuleParse(ctx, ref("func.func @f( {"), ref("bad.mlir"));
  printf("bad module is null: %d\n", weftModuleIsNull(bad));
  printDiagnostics(ctx);

  WeftModule module = weftModuleParse(ctx, ref(kGemm), ref("gemm.mlir"));
  printf("parsed: %d\n", !weftModuleIsNull(module));

  /* Run a function on the interpreter. */
  double in = 21.0;
  WeftBuffer arg = {WeftBufferF64, 0, NULL, &in};
  WeftRunOptions options = weftRunOptionsGetDefault();
  WeftRunResult run = weftRunFunction(module, ref("twice"), &arg, 1, &options);
  WeftStringRef type = weftRunResultGetElementType(run, 0);
  printf("twice(21) = %g : %.*s\n",
         *(const double *)weftRunResultGetData(run, 0), (int)type.length,
         type.data);
  weftRunResultDestroy(run);
  options.backend = WeftBackendNative;
  run = weftRunFunction(module, ref("twice"), &arg, 1, &options);
  printf("native run is null: %d\n", weftRunResultIsNull(run));
  printDiagnostics(ctx);

  /* Solve and read back. */
  int calls = 0;
  WeftSchedule schedule =
      weftModuleSolveSchedules(module, "sm_90a", 60000, progress, &calls);
  WeftScheduledLoop loop = weftScheduleGetLoop(schedule, 0);
  printf("loops: %zu; %.*s: II %lld bound %lld proven %d, %zu partitions, "
         "%zu ops\n",
         weftScheduleGetNumLoops(schedule), (int)loop.function.length,
         loop.function.data, (long long)loop.ii, (long long)loop.lowerBound,
         loop.provenOptimal, loop.numPartitions, loop.numOps);
  for (size_t p = 0; p < loop.numPartitions; ++p) {
    WeftSchedulePartition part = weftScheduleGetPartition(schedule, 0, p);
    printf("partition %lld: %.*s, %lld registers\n", (long long)part.index,
           (int)part.role.length, part.role.data, (long long)part.registers);
  }
  WeftScheduledOp op = weftScheduleGetOp(schedule, 0, 2);
  printf("op %.*s: %.*s on %.*s, stage %lld\n", (int)op.location.length,
         op.location.data, (int)op.kind.length, op.kind.data,
         (int)op.unit.length, op.unit.data, (long long)op.stage);
  WeftScheduledOp outOfRange = weftScheduleGetOp(schedule, 7, 0);
  printf("out of range op kind length: %zu\n", outOfRange.kind.length);
  weftScheduleWrite(schedule, WeftScheduleFormatJSON, 3, -1, printText,
                    stdout);
  weftScheduleDestroy(schedule);

  /* Pass pipelines by string; a bad one is a diagnostic. */
  printf("bad pipeline ok: %d\n",
         weftModuleRunPassPipeline(module, ref("no-such-pass")));
  printDiagnostics(ctx);

  weftModuleDestroy(module);
  weftContextDestroy(ctx);
  printf("done\n");
  return 0;
}
