//===- weft-run.cpp - runs tile / pipe programs -----------------------------===//
//
//   weft-run --interpret prog.mlir --entry=gemm --arg-sizes=256x128,128x256,256x256 \
//            --scalars=128 --grid=2,2 --check-against=gemm_ref
//
// Runs a function of a tile or pipe program on the CPU interpreter with
// seeded random or .npy inputs, prints a summary of its outputs and, with
// --check-against, compares them with a second function (same file or
// another one) run on the same inputs. Exits non-zero on any error or
// mismatch. See docs/interpreter.md.
//
//===----------------------------------------------------------------------===//
#include "CudaMode.h"
#include "weft/InitAllDialects.h"
#include "weft/Interpreter/Interpreter.h"
#include "weft/Runtime/CPURuntime.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>

using namespace mlir;
using namespace mlir::weft::interp;
namespace cl = llvm::cl;

static cl::OptionCategory runCategory("weft-run options");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<input.mlir>"),
                                      cl::init("-"), cl::cat(runCategory));
static cl::opt<bool> interpret(
    "interpret",
    cl::desc("Run on the CPU interpreter (the only mode of this build)"),
    cl::cat(runCategory));
static cl::opt<std::string>
    entry("entry", cl::desc("Function to run (default: the only function, or "
                            "'main')"),
          cl::cat(runCategory));
static cl::opt<std::string>
    gridOpt("grid", cl::desc("Launch grid X[,Y[,Z]] (default 1,1,1)"),
            cl::init("1"), cl::cat(runCategory));
static cl::opt<std::string> argSizes(
    "arg-sizes",
    cl::desc("Shapes of the memref arguments in order, comma separated, "
             "each DxDx... ('-' to take it from --input or the static type)"),
    cl::cat(runCategory));
static cl::opt<std::string>
    scalars("scalars",
            cl::desc("Values of the scalar (int, index, float) arguments in "
                     "order, comma separated"),
            cl::cat(runCategory));
static cl::list<std::string>
    inputs("input",
           cl::desc("<i>=<file.npy>: argument #i from a .npy file (elements "
                    "converted to the argument's type)"),
           cl::cat(runCategory));
static cl::opt<std::string>
    fill("fill",
         cl::desc("Contents of memrefs without --input: random (default), "
                  "zeros, ones, iota"),
         cl::init("random"), cl::cat(runCategory));
static cl::opt<uint64_t> seed("seed", cl::desc("Seed of random inputs"),
                              cl::init(0), cl::cat(runCategory));
static cl::opt<std::string> schedule(
    "schedule",
    cl::desc("Interleaving of partitions: round-robin (default) or random"),
    cl::init("round-robin"), cl::cat(runCategory));
static cl::opt<uint64_t> scheduleSeed(
    "schedule-seed",
    cl::desc("Seed of --schedule=random (giving it implies random)"),
    cl::init(0), cl::cat(runCategory));
static cl::opt<bool> strictChannels(
    "strict-channels",
    cl::desc("Reject any value left unread in a channel, including a final "
             "forwarded loop-carried value"),
    cl::cat(runCategory));
static cl::opt<uint64_t>
    maxSteps("max-steps",
             cl::desc("Stop after this many operations per program (0: none)"),
             cl::init(0), cl::cat(runCategory));
static cl::opt<std::string> checkAgainst(
    "check-against",
    cl::desc("Reference: a function of the same module, or a .mlir file "
             "(its function --check-entry, default the same name)"),
    cl::cat(runCategory));
static cl::opt<std::string>
    checkEntry("check-entry",
               cl::desc("Function of the --check-against file to run"),
               cl::cat(runCategory));
static cl::opt<double> relTol("rtol", cl::desc("Relative tolerance of checks"),
                            cl::init(1e-5), cl::cat(runCategory));
static cl::opt<double> absTol("atol", cl::desc("Absolute tolerance of checks"),
                            cl::init(1e-6), cl::cat(runCategory));
static cl::opt<std::string> saveInputs(
    "save-inputs",
    cl::desc("Directory to write the inputs to (argN.npy) before the run"),
    cl::cat(runCategory));
static cl::opt<std::string> saveOutputs(
    "save-outputs",
    cl::desc("Directory to write memref arguments (argN.npy) and results "
             "(resultN.npy) to after the run"),
    cl::cat(runCategory));
static cl::opt<bool> printValues("print-values",
                                 cl::desc("Print every output element"),
                                 cl::cat(runCategory));

static cl::opt<std::string> modelDir(
    "model",
    cl::desc("Run a model compiled by `weft-compile --target=host` natively: "
             "its output directory (or its model.o); inputs come from "
             "--input (.npy or ONNX TensorProto .pb, in order)"),
    cl::cat(runCategory));
static cl::list<std::string>
    expected("expected",
             cl::desc("With --model: expected outputs (.npy / .pb), in "
                      "order, compared with --atol / --rtol"),
             cl::cat(runCategory));
static cl::opt<unsigned>
    repeat("repeat",
           cl::desc("With --model: run this many times and print the mean "
                    "time per run"),
           cl::init(1), cl::cat(runCategory));

static int fail(const Twine &message) {
  llvm::errs() << "weft-run: error: " << message << "\n";
  return 1;
}

static bool parseShape(StringRef text, SmallVectorImpl<int64_t> &shape) {
  SmallVector<StringRef> dims;
  text.split(dims, 'x');
  for (StringRef d : dims) {
    int64_t v;
    if (d.trim().getAsInteger(10, v) || v < 0)
      return false;
    shape.push_back(v);
  }
  return true;
}

static func::FuncOp findEntry(ModuleOp module, StringRef name,
                              std::string &error) {
  name.consume_front("@");
  if (!name.empty()) {
    auto func = module.lookupSymbol<func::FuncOp>(name);
    if (!func || func.isExternal())
      error = "no function @" + name.str() + " with a body";
    return func;
  }
  func::FuncOp only;
  unsigned count = 0;
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.isExternal()) {
      only = func;
      ++count;
    }
  if (count == 1)
    return only;
  if (auto main = module.lookupSymbol<func::FuncOp>("main"))
    return main;
  error = "several functions; name one with --entry";
  return nullptr;
}

static std::string describe(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

static std::string shapeText(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

static void printSummary(StringRef name, Type type, const HostArray &a) {
  llvm::outs() << "  " << name << " " << describe(type) << " ["
               << shapeText(a.shape) << "]";
  int64_t n = a.numElements();
  if (n) {
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    for (int64_t i = 0; i < n; ++i) {
      double v = a.getDouble(i);
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      sum += v;
    }
    llvm::outs() << llvm::format(": min %.6g max %.6g mean %.6g", lo, hi,
                                 sum / n);
  }
  llvm::outs() << "\n";
  if (printValues) {
    llvm::outs() << "   ";
    for (int64_t i = 0; i < n; ++i)
      llvm::outs() << " " << llvm::format("%.9g", a.getDouble(i));
    llvm::outs() << "\n";
  }
}

/// Compares `got` with `want` element for element (numpy.allclose rule:
/// |got - want| <= absTol + relTol * |want|); prints one line.
static bool compare(StringRef name, const HostArray &got,
                    const HostArray &want) {
  llvm::outs() << "  " << name << ": ";
  if (got.shape != want.shape || got.elementType != want.elementType) {
    llvm::outs() << "shape or type differs ([" << shapeText(got.shape)
                 << "] vs [" << shapeText(want.shape) << "]): FAIL\n";
    return false;
  }
  double maxAbs = 0, maxRel = 0;
  int64_t bad = 0, firstBad = -1, n = got.numElements();
  for (int64_t i = 0; i < n; ++i) {
    double g = got.getDouble(i), w = want.getDouble(i);
    bool ok;
    double err;
    if (std::isnan(g) || std::isnan(w)) {
      ok = std::isnan(g) && std::isnan(w);
      err = ok ? 0 : INFINITY;
    } else if (std::isinf(g) || std::isinf(w)) {
      ok = g == w;
      err = ok ? 0 : INFINITY;
    } else {
      err = std::fabs(g - w);
      ok = err <= absTol + relTol * std::fabs(w);
    }
    maxAbs = std::max(maxAbs, err);
    if (err > 0)
      maxRel = std::max(maxRel, err / std::max(std::fabs(w), 1e-30));
    if (!ok && bad++ == 0)
      firstBad = i;
  }
  llvm::outs() << llvm::format("max abs err %.3e, max rel err %.3e", maxAbs,
                               maxRel);
  if (bad) {
    llvm::outs() << ", " << bad << " of " << n << " elements differ (first #"
                 << firstBad << ": "
                 << llvm::format("%.9g vs %.9g", got.getDouble(firstBad),
                                 want.getDouble(firstBad))
                 << "): FAIL\n";
    return false;
  }
  llvm::outs() << ": ok\n";
  return true;
}

static std::vector<RuntimeArg> deepCopy(ArrayRef<RuntimeArg> args) {
  std::vector<RuntimeArg> copy;
  for (const RuntimeArg &a : args)
    copy.push_back({a.isMemRef, std::make_shared<HostArray>(*a.data)});
  return copy;
}

static bool saveAll(StringRef dir, StringRef prefix,
                    ArrayRef<RuntimeArg> values, bool memrefsOnly) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
    llvm::errs() << "weft-run: error: cannot create '" << dir
                 << "': " << ec.message() << "\n";
    return false;
  }
  for (auto [i, v] : llvm::enumerate(values)) {
    if (memrefsOnly && !v.isMemRef)
      continue;
    SmallString<128> path(dir);
    llvm::sys::path::append(path, prefix + Twine(i) + ".npy");
    std::string err = writeNpy(path, *v.data);
    if (!err.empty()) {
      llvm::errs() << "weft-run: error: " << err << "\n";
      return false;
    }
  }
  return true;
}

/// --model: runs a compiled model natively on the host.
static int runNativeModel() {
  namespace rt = mlir::weft::runtime;
  llvm::SmallString<256> object(modelDir);
  if (llvm::sys::fs::is_directory(object))
    llvm::sys::path::append(object, "model.o");
  auto model = rt::CPUModel::load(object);
  if (!model)
    return fail(llvm::toString(model.takeError()));
  std::vector<rt::HostTensor> ins, outs;
  for (StringRef spec : inputs) {
    // `i=file` as in interpreter mode, or just the file (in order).
    auto [index, path] = spec.split('=');
    unsigned position;
    if (path.empty() || index.getAsInteger(10, position)) {
      path = spec;
      position = ins.size();
    }
    if (position != ins.size())
      return fail("--input " + spec + ": inputs must be given in order");
    auto tensor = rt::readTensorFile(path);
    if (!tensor)
      return fail(llvm::toString(tensor.takeError()));
    ins.push_back(std::move(*tensor));
  }
  auto start = std::chrono::steady_clock::now();
  for (unsigned i = 0; i < std::max(1u, repeat.getValue()); ++i)
    if (auto err = (*model)->run(ins, outs))
      return fail(llvm::toString(std::move(err)));
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  if (repeat > 1)
    llvm::outs() << llvm::formatv("time: {0:F3} ms per run ({1} runs)\n",
                                  seconds * 1e3 / repeat, repeat);
  bool ok = true;
  for (auto [i, out] : llvm::enumerate(outs)) {
    double minV = INFINITY, maxV = -INFINITY, sum = 0;
    for (int64_t j = 0, n = out.numElements(); j < n; ++j) {
      double v = out.at(j);
      minV = std::min(minV, v);
      maxV = std::max(maxV, v);
      sum += v;
    }
    llvm::outs() << llvm::formatv("output {0}: {1} [{2}] min {3} max {4} "
                                  "mean {5}\n",
                                  i, out.dtype,
                                  llvm::join(llvm::map_range(
                                                 out.shape,
                                                 [](int64_t d) {
                                                   return std::to_string(d);
                                                 }),
                                             "x"),
                                  minV, maxV,
                                  out.numElements() ? sum / out.numElements()
                                                    : 0.0);
    if (!saveOutputs.empty()) {
      if (std::error_code ec =
              llvm::sys::fs::create_directories(saveOutputs))
        return fail("cannot create " + saveOutputs + ": " + ec.message());
      llvm::SmallString<256> path(saveOutputs);
      llvm::sys::path::append(path, "result" + std::to_string(i) + ".npy");
      if (auto err = rt::writeNpy(path, out))
        return fail(llvm::toString(std::move(err)));
    }
  }
  if (!expected.empty()) {
    if (expected.size() != outs.size())
      return fail(llvm::formatv("{0} expected outputs for {1} outputs",
                                expected.size(), outs.size()));
    for (auto [i, path] : llvm::enumerate(expected)) {
      auto want = rt::readTensorFile(path);
      if (!want)
        return fail(llvm::toString(want.takeError()));
      if (rt::sameLayout(want->dtype, outs[i].dtype))
        want->dtype = outs[i].dtype;
      if (want->shape != outs[i].shape) {
        llvm::outs() << "output " << i << ": shape differs from " << path
                     << ": FAIL\n";
        ok = false;
        continue;
      }
      double maxAbs;
      int64_t bad = rt::compareTensors(outs[i], *want, absTol, relTol, maxAbs);
      llvm::outs() << llvm::formatv("output {0}: max abs error {1:e}, {2} "
                                    "mismatches: {3}\n",
                                    i, maxAbs, bad, bad ? "FAIL" : "ok");
      ok &= bad == 0;
    }
    llvm::outs() << (ok ? "PASS" : "FAIL") << "\n";
  }
  return ok ? 0 : 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions({&runCategory, &mlir::weft::getCudaModeCategory()});
  cl::ParseCommandLineOptions(
      argc, argv,
      "weft-run: runs tile and pipe programs on the CPU interpreter\n");
  if (!modelDir.empty())
    return runNativeModel();
  if (mlir::weft::isCudaModeRequested())
    return mlir::weft::runCudaMode({gridOpt, gridOpt.getNumOccurrences() > 0,
                                    argSizes, scalars, inputs, fill, seed,
                                    relTol, absTol, entry});
  if (!interpret)
    return fail("no GPU runtime in this build; pass --interpret to run on "
                "the CPU interpreter");

  RunOptions options;
  {
    SmallVector<StringRef> parts;
    StringRef(gridOpt).split(parts, ',');
    if (parts.size() > 3)
      return fail("--grid takes at most three sizes");
    for (auto [i, p] : llvm::enumerate(parts))
      if (p.trim().getAsInteger(10, options.grid[i]) || options.grid[i] <= 0)
        return fail("--grid: '" + p + "' is not a positive integer");
  }
  if (schedule == "random" || scheduleSeed.getNumOccurrences())
    options.policy = SchedulePolicy::Random;
  else if (schedule != "round-robin")
    return fail("--schedule must be round-robin or random");
  options.scheduleSeed = scheduleSeed;
  options.allowFinalValue = !strictChannels;
  options.maxSteps = maxSteps;
  if (fill != "random" && fill != "zeros" && fill != "ones" && fill != "iota")
    return fail("--fill must be random, zeros, ones or iota");

  DialectRegistry registry;
  mlir::weft::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);

  std::string errorMessage;
  auto file = openInputFile(inputFile, &errorMessage);
  if (!file)
    return fail(errorMessage);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  std::string err;
  func::FuncOp func = findEntry(*module, entry, err);
  if (!func)
    return fail(err);
  FunctionType type = func.getFunctionType();

  // Bind the arguments.
  std::map<unsigned, std::string> npyInputs;
  for (StringRef spec : inputs) {
    auto [index, path] = spec.split('=');
    unsigned i;
    if (path.empty() || index.getAsInteger(10, i))
      return fail("--input expects <index>=<file.npy>, got '" + spec + "'");
    if (i >= type.getNumInputs())
      return fail("--input " + spec + ": @" + func.getSymName() + " has " +
                  Twine(type.getNumInputs()) + " arguments");
    npyInputs[i] = path.str();
  }
  SmallVector<StringRef> sizeSpecs, scalarSpecs;
  if (!argSizes.empty())
    StringRef(argSizes).split(sizeSpecs, ',');
  if (!scalars.empty())
    StringRef(scalars).split(scalarSpecs, ',');
  unsigned memrefIndex = 0, scalarIndex = 0;
  std::vector<RuntimeArg> args;
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    Type argType = type.getInput(i);
    std::string where = "argument #" + std::to_string(i) + " (" +
                        describe(argType) + ")";
    auto memref = dyn_cast<MemRefType>(argType);
    Type elem = memref ? memref.getElementType() : argType;
    if (isa<ShapedType>(argType) && !memref)
      return fail(where + ": only memref and scalar arguments can be bound");
    if (!elem.isIntOrIndexOrFloat() ||
        (elem.isInteger() && elem.getIntOrFloatBitWidth() > 64))
      return fail(where + ": unsupported element type");
    RuntimeArg arg;
    arg.isMemRef = static_cast<bool>(memref);
    auto it = npyInputs.find(i);
    StringRef sizeSpec;
    if (memref && memrefIndex < sizeSpecs.size())
      sizeSpec = sizeSpecs[memrefIndex].trim();
    if (!memref && it == npyInputs.end() && scalarIndex >= scalarSpecs.size())
      return fail(where + ": no value; give it with --scalars (scalar #" +
                  Twine(scalarIndex) + ") or --input");
    if (it != npyInputs.end()) {
      arg.data = std::make_shared<HostArray>();
      std::string e = readNpy(it->second, elem, *arg.data);
      if (!e.empty())
        return fail(where + ": " + e);
      if (!memref && !arg.data->shape.empty())
        return fail(where + ": a scalar needs a 0-d .npy array");
    } else if (memref) {
      SmallVector<int64_t> shape;
      if (!sizeSpec.empty() && sizeSpec != "-") {
        if (!parseShape(sizeSpec, shape))
          return fail("--arg-sizes: '" + sizeSpec + "' is not a shape DxDx...");
      } else if (memref.hasStaticShape()) {
        shape.assign(memref.getShape().begin(), memref.getShape().end());
      } else {
        return fail(where + ": dynamic sizes; give its shape in --arg-sizes "
                            "(memref #" + Twine(memrefIndex) +
                    ") or its contents with --input");
      }
      arg.data = std::make_shared<HostArray>(elem, shape);
      HostArray &a = *arg.data;
      if (fill == "random") {
        fillRandom(a, seed * 0x9e3779b97f4a7c15ull + i);
      } else {
        for (int64_t k = 0, n = a.numElements(); k < n; ++k) {
          double v = fill == "zeros" ? 0 : fill == "ones" ? 1 : double(k);
          if (a.isFloat())
            a.floats[k] = roundToFloatType(v, elem);
          else
            a.ints[k] = normalizeInt(static_cast<int64_t>(v), elem);
        }
      }
    } else {
      StringRef text = scalarSpecs[scalarIndex].trim();
      arg.data = std::make_shared<HostArray>(elem, ArrayRef<int64_t>{});
      if (isa<FloatType>(elem)) {
        double v;
        if (text.getAsDouble(v))
          return fail(where + ": '" + text + "' is not a number");
        arg.data->floats[0] = roundToFloatType(v, elem);
      } else {
        int64_t v;
        if (text.getAsInteger(0, v))
          return fail(where + ": '" + text + "' is not an integer");
        arg.data->ints[0] = normalizeInt(v, elem);
      }
    }
    if (memref) {
      if (arg.data->shape.size() != static_cast<size_t>(memref.getRank()))
        return fail(where + ": shape [" + shapeText(arg.data->shape) +
                    "] has the wrong rank");
      for (int64_t d = 0; d < memref.getRank(); ++d)
        if (!memref.isDynamicDim(d) &&
            memref.getDimSize(d) != arg.data->shape[d])
          return fail(where + ": shape [" + shapeText(arg.data->shape) +
                      "] contradicts the static sizes");
      ++memrefIndex;
    } else if (it == npyInputs.end()) {
      ++scalarIndex;
    }
    args.push_back(std::move(arg));
  }
  if (sizeSpecs.size() > memrefIndex)
    return fail("--arg-sizes lists " + Twine(sizeSpecs.size()) +
                " shapes but @" + func.getSymName() + " has " +
                Twine(memrefIndex) + " memref arguments");
  if (scalarSpecs.size() > scalarIndex)
    return fail("--scalars lists " + Twine(scalarSpecs.size()) +
                " values but only " + Twine(scalarIndex) + " are needed");

  // The reference function, parsed before anything runs.
  OwningOpRef<ModuleOp> refModule;
  func::FuncOp refFunc;
  if (!checkAgainst.empty()) {
    StringRef ref = checkAgainst;
    bool isFile = ref.ends_with(".mlir") || llvm::sys::fs::exists(ref);
    if (isFile) {
      auto refFile = openInputFile(ref, &errorMessage);
      if (!refFile)
        return fail(errorMessage);
      sourceMgr.AddNewSourceBuffer(std::move(refFile), llvm::SMLoc());
      refModule = parseSourceFile<ModuleOp>(sourceMgr, &context);
      if (!refModule)
        return 1;
      std::string refName =
          checkEntry.empty() ? func.getSymName().str() : checkEntry.getValue();
      refFunc = findEntry(*refModule, refName, err);
    } else {
      refFunc = findEntry(*module, ref, err);
    }
    if (!refFunc)
      return fail("--check-against: " + err);
    if (refFunc.getFunctionType().getInputs() != type.getInputs())
      return fail("--check-against: @" + refFunc.getSymName() +
                  " takes other arguments than @" + func.getSymName());
    if (refFunc.getFunctionType().getResults() != type.getResults())
      return fail("--check-against: @" + refFunc.getSymName() +
                  " returns other types than @" + func.getSymName());
  }

  if (!saveInputs.empty() && !saveAll(saveInputs, "arg", args, false))
    return 1;
  std::vector<RuntimeArg> refArgs;
  if (refFunc)
    refArgs = deepCopy(args);

  SmallVector<RuntimeArg> results;
  if (failed(runFunction(func, args, options, results))) {
    llvm::outs() << "weft-run: @" << func.getSymName() << ": FAILED\n";
    return 1;
  }
  llvm::outs() << "weft-run: @" << func.getSymName() << " grid "
               << options.grid[0] << "x" << options.grid[1] << "x"
               << options.grid[2] << ": ok\n";
  for (auto [i, a] : llvm::enumerate(args))
    if (a.isMemRef)
      printSummary(("arg" + Twine(i)).str(), type.getInput(i), *a.data);
  for (auto [i, r] : llvm::enumerate(results))
    printSummary(("result" + Twine(i)).str(), type.getResult(i), *r.data);
  if (!saveOutputs.empty() && (!saveAll(saveOutputs, "arg", args, true) ||
                               !saveAll(saveOutputs, "result", results, false)))
    return 1;

  if (!refFunc)
    return 0;
  SmallVector<RuntimeArg> refResults;
  if (failed(runFunction(refFunc, refArgs, options, refResults))) {
    llvm::outs() << "weft-run: reference @" << refFunc.getSymName()
                 << ": FAILED\n";
    return 1;
  }
  llvm::outs() << "check @" << func.getSymName() << " against @"
               << refFunc.getSymName()
               << (refModule ? " (" + checkAgainst + ")" : std::string())
               << llvm::format(" (atol %g, rtol %g):\n", absTol.getValue(),
                               relTol.getValue());
  bool ok = true;
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i].isMemRef)
      ok &= compare(("arg" + Twine(i)).str(), *args[i].data, *refArgs[i].data);
  for (size_t i = 0; i < results.size(); ++i)
    ok &= compare(("result" + Twine(i)).str(), *results[i].data,
                  *refResults[i].data);
  llvm::outs() << (ok ? "PASS\n" : "FAIL\n");
  return ok ? 0 : 1;
}
