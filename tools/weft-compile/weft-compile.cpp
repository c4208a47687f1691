//===- weft-compile.cpp - the weft compiler driver -------------------------===//
//
// ONNX model in, scheduled kernels out:
//   import (weft) -> graph fusion (weft.kernel) -> tiling (tile programs)
//   -> machine model + optimal schedule (#pipe.schedule) -> warp-specialized
//   pipe programs (GPU targets)
// Every stage's IR can be written to the output directory (--emit), the
// schedules are exported as JSON, and --print-schedule summarizes them.
//
//===----------------------------------------------------------------------===//
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "weft/Dialect/Pipe/IR/PipeOps.h"
#include "weft/Frontend/ONNX/ImportONNX.h"
#include "weft/InitAllDialects.h"
#include "weft/InitAllPasses.h"
#include "weft/Schedule/ScheduleExport.h"
#include "weft/Support/OutputFiles.h"
#include "weft/Target/MachineModels.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.onnx>"));
static cl::opt<std::string>
    target("target", cl::init("sm_90a"),
           cl::desc("machine to compile for (sm_80, sm_90a, sm_100a, gfx942, "
                    "arm-sme2)"));
static cl::opt<std::string> outputDir("o", cl::init("weft-out"),
                                      cl::desc("output directory"));
static cl::list<std::string>
    emit("emit", cl::CommaSeparated,
         cl::desc("stages to write as <model>.<stage>.mlir: graph, fused, "
                  "tile, scheduled, pipe (default: all)"));
static cl::opt<bool> printSchedule("print-schedule", cl::init(false),
                                   cl::desc("print a summary of every "
                                            "scheduled loop"));
static cl::opt<unsigned> timeoutMs("schedule-timeout-ms", cl::init(30000),
                                   cl::desc("solver time budget per loop"));
static cl::opt<std::string> tileSizes(
    "tile-sizes",
    cl::desc("options of weft-tile-kernels (default: tile-m=64 tile-n=64 "
             "tile-k=32 on GPUs, 16x16x16 on CPUs, whose tiles live in "
             "vector registers)"));
static cl::opt<bool> timing("timing", cl::init(false),
                            cl::desc("report the time of every pass"));

namespace {
/// One pipeline stage: the passes it runs and the name its IR is saved as.
struct Stage {
  const char *name;
  std::string pipeline;
};
} // namespace

static bool wanted(StringRef stage) {
  return emit.empty() || llvm::is_contained(emit, stage.str());
}

/// Stages `path` in `outputs`; nothing is published before the whole
/// compile succeeds (see weft/Support/OutputFiles.h).
static LogicalResult writeFile(mlir::weft::OutputFileSet &outputs,
                               StringRef path,
                               llvm::function_ref<void(raw_ostream &)> write) {
  if (llvm::Error error = outputs.write(path, write)) {
    llvm::errs() << "weft-compile: " << llvm::toString(std::move(error))
                 << "\n";
    return failure();
  }
  return success();
}

/// One line per scheduled loop and one per partition, from the exported
/// schedule JSON.
static void summarize(StringRef json, raw_ostream &os) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(json);
  if (!parsed) {
    llvm::consumeError(parsed.takeError());
    return;
  }
  for (const llvm::json::Value &loop :
       *parsed->getAsObject()->getArray("loops")) {
    const llvm::json::Object &l = *loop.getAsObject();
    os << llvm::formatv("{0}: II {1} = {2} cycles, lower bound {3}, {4}, {5} "
                        "stages\n",
                        l.getString("function").value_or(""),
                        l.getInteger("ii").value_or(0),
                        l.getInteger("ii_cycles").value_or(0),
                        l.getInteger("lower_bound").value_or(0),
                        l.getBoolean("proven_optimal").value_or(false)
                            ? "proven optimal"
                            : "NOT proven optimal",
                        l.getInteger("stages").value_or(0));
    for (const llvm::json::Value &p : *l.getArray("partitions")) {
      const llvm::json::Object &part = *p.getAsObject();
      os << llvm::formatv("    partition {0}: {1}, {2} registers\n",
                          part.getInteger("index").value_or(0),
                          part.getString("role").value_or(""),
                          part.getInteger("registers").value_or(0));
    }
  }
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::weft::registerAllPasses();
  cl::ParseCommandLineOptions(argc, argv,
                              "weft-compile: ONNX model -> scheduled kernels\n");

  const std::vector<std::string> &machines =
      ::weft::target::knownMachineNames();
  if (!llvm::is_contained(machines, target.getValue())) {
    llvm::errs() << "weft-compile: unknown target '" << target
                 << "'; known: " << llvm::join(machines, ", ") << "\n";
    return 1;
  }
  for (const std::string &stage : emit)
    if (!llvm::is_contained({"graph", "fused", "tile", "scheduled", "pipe"},
                            stage)) {
      llvm::errs() << "weft-compile: unknown stage '" << stage
                   << "' in --emit (graph, fused, tile, scheduled, pipe)\n";
      return 1;
    }
  if (std::error_code ec = llvm::sys::fs::create_directories(outputDir)) {
    llvm::errs() << "weft-compile: cannot create " << outputDir << ": "
                 << ec.message() << "\n";
    return 1;
  }

  DialectRegistry registry;
  mlir::weft::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Remarks and errors point at the ONNX node; dumping whole tiled loops
  // with them would bury the message.
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  auto buffer = llvm::MemoryBuffer::getFile(inputFile, /*IsText=*/false);
  if (!buffer) {
    llvm::errs() << "weft-compile: cannot read " << inputFile << ": "
                 << buffer.getError().message() << "\n";
    return 1;
  }
  OwningOpRef<ModuleOp> module =
      mlir::weft::importONNX((*buffer)->getBuffer(), inputFile, &context);
  if (!module)
    return 1;

  StringRef stem = llvm::sys::path::stem(inputFile);
  mlir::weft::OutputFileSet outputs;
  auto save = [&](StringRef stage) -> LogicalResult {
    if (!wanted(stage))
      return success();
    llvm::SmallString<256> path(outputDir);
    llvm::sys::path::append(path, stem + "." + stage + ".mlir");
    OpPrintingFlags flags;
    flags.enableDebugInfo(true, /*prettyForm=*/false);
    flags.elideLargeResourceString(64);
    return writeFile(outputs, path,
                     [&](raw_ostream &os) { module->print(os, flags); });
  };
  if (failed(save("graph")))
    return 1;

  bool gpu = StringRef(target).starts_with("sm_") ||
             StringRef(target).starts_with("gfx");
  std::string tiles = tileSizes.getNumOccurrences()
                          ? tileSizes.getValue()
                          : (gpu ? "tile-m=64 tile-n=64 tile-k=32"
                                 : "tile-m=16 tile-n=16 tile-k=16");
  std::vector<Stage> stages = {
      {"fused", "weft-graph-fusion"},
      {"tile", "weft-tile-kernels{" + tiles + "}"},
      {"scheduled",
       "weft-attach-machine{target=" + target + "},func.func(weft-schedule{" +
           "timeout-ms=" + std::to_string(timeoutMs) + "})"},
  };
  if (gpu)
    stages.push_back({"pipe", "func.func(weft-specialize)"});

  for (const Stage &stage : stages) {
    PassManager pm(&context);
    if (timing)
      pm.enableTiming();
    if (failed(parsePassPipeline(stage.pipeline, pm, llvm::errs())))
      return 1;
    llvm::errs() << "weft-compile: " << stage.name << "\n";
    if (failed(pm.run(*module)))
      return 1;
    if (failed(save(stage.name)))
      return 1;
    if (StringRef(stage.name) == "scheduled") {
      llvm::SmallString<256> path(outputDir);
      llvm::sys::path::append(path, stem + ".schedule.json");
      // Exported once: the file and the summary read the same document.
      std::string json;
      llvm::raw_string_ostream jsonStream(json);
      if (failed(mlir::weft::exportSchedules(
              *module, mlir::weft::ScheduleFormat::JSON, jsonStream)) ||
          failed(writeFile(outputs, path,
                           [&](raw_ostream &os) { os << json; })))
        return 1;
      if (printSchedule)
        summarize(json, llvm::outs());
    }
  }
  if (llvm::Error error = outputs.commit()) {
    llvm::errs() << "weft-compile: " << llvm::toString(std::move(error)) << "\n";
    return 1;
  }
  return 0;
}
