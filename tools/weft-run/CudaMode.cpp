//===- CudaMode.cpp - weft-run --cuda: runs a cubin on the GPU ------------===//
//
//   weft-run --cuda k.cubin --grid=64,32 --arg-sizes=8192x8192,8192x8192,... \
//            --scalars=8192 [--input i=a.npy] [--output i=c.npy] \
//            [--check-against-interpreter prog.mlir --entry=gemm] [--bench N]
//
// Binds the kernel's user-level arguments (seeded random, or .npy inputs)
// the way its manifest (k.cubin.json, docs/runtime.md) describes, runs it
// once, optionally compares every tensor argument with the CPU interpreter's
// run of the program it was compiled from, and optionally times it. All
// checks of the command line and the manifest happen before the GPU is
// touched, so they are tested on machines without one.
//
//===----------------------------------------------------------------------===//
#include "CudaMode.h"

#include "weft/InitAllDialects.h"
#include "weft/Interpreter/Interpreter.h"
#include "weft/Runtime/CUDA/KernelManifest.h"
#include "weft/Runtime/CUDA/LaunchContract.h"
#if WEFT_HAVE_CUDA_RUNTIME
#include "weft/Runtime/CUDA/CudaRuntime.h"
#endif

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <map>

using namespace mlir;
using namespace mlir::weft;
using namespace mlir::weft::cuda;
using mlir::weft::interp::HostArray;
namespace cl = llvm::cl;

cl::OptionCategory &mlir::weft::getCudaModeCategory() {
  static cl::OptionCategory category("weft-run --cuda options");
  return category;
}

static cl::opt<std::string> cudaBinary(
    "cuda",
    cl::desc("Run this cubin (or PTX) on the GPU, launched as its manifest "
             "<file>.json says (docs/runtime.md)"),
    cl::value_desc("k.cubin"), cl::cat(getCudaModeCategory()));
static cl::opt<std::string>
    manifestPath("manifest",
                 cl::desc("The kernel's manifest (default: <cubin>.json)"),
                 cl::cat(getCudaModeCategory()));
static cl::list<std::string>
    outputs("output",
            cl::desc("<i>=<file.npy>: write tensor argument #i after the run"),
            cl::cat(getCudaModeCategory()));
static cl::opt<std::string> checkAgainstInterpreter(
    "check-against-interpreter",
    cl::desc("Run --entry of this tile / pipe program on the CPU interpreter "
             "on the same inputs and grid, and compare every tensor argument"),
    cl::value_desc("prog.mlir"), cl::cat(getCudaModeCategory()));
static cl::opt<unsigned>
    benchIterations("bench",
                    cl::desc("After the checked run, time N launches (median "
                             "of CUDA event times)"),
                    cl::init(0), cl::cat(getCudaModeCategory()));
static cl::opt<unsigned>
    warmupLaunches("warmup", cl::desc("Untimed launches before --bench"),
                   cl::init(10), cl::cat(getCudaModeCategory()));
static cl::opt<int> deviceOrdinal("device", cl::desc("CUDA device ordinal"),
                                  cl::init(0), cl::cat(getCudaModeCategory()));

bool mlir::weft::isCudaModeRequested() {
  return cudaBinary.getNumOccurrences() > 0;
}

static int fail(const Twine &message) {
  llvm::errs() << "weft-run: error: " << message << "\n";
  return 1;
}

static int fail(llvm::Error error) {
  return fail(llvm::toString(std::move(error)));
}

static Type toMlirType(MLIRContext &context, ElementType type) {
  Builder b(&context);
  switch (type) {
  case ElementType::F16:
    return b.getF16Type();
  case ElementType::BF16:
    return b.getBF16Type();
  case ElementType::F32:
    return b.getF32Type();
  case ElementType::F64:
    return b.getF64Type();
  case ElementType::I8:
    return b.getIntegerType(8);
  case ElementType::U8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case ElementType::I16:
    return b.getIntegerType(16);
  case ElementType::I32:
    return b.getI32Type();
  case ElementType::I64:
    return b.getI64Type();
  }
  return Type();
}

static Type toMlirType(MLIRContext &context, ScalarType type) {
  Builder b(&context);
  switch (type) {
  case ScalarType::Index:
    return b.getIndexType();
  case ScalarType::I64:
    return b.getI64Type();
  case ScalarType::I32:
    return b.getI32Type();
  case ScalarType::F32:
    return b.getF32Type();
  }
  return Type();
}

static std::string describeArgument(const ArgumentInfo &info) {
  if (!info.isTensor)
    return ("scalar " + scalarTypeName(info.scalar)).str();
  return ("rank-" + Twine(info.rank) + " " + elementTypeName(info.element) +
          " tensor")
      .str();
}

static std::string shapeText(ArrayRef<int64_t> shape) {
  std::string s;
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? "x" : "") + std::to_string(d);
  return shape.empty() ? "scalar" : s;
}

/// One line per tensor: element type, shape, and min / max / mean, the
/// fingerprint a test or a person compares runs by.
static void printTensorSummary(unsigned index, const ArgumentInfo &info,
                               const HostArray &array) {
  double lo = INFINITY, hi = -INFINITY, sum = 0;
  int64_t n = array.numElements();
  for (int64_t i = 0; i < n; ++i) {
    double v = array.getDouble(i);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    sum += v;
  }
  llvm::outs() << "  arg" << index << " " << elementTypeName(info.element)
               << " [" << shapeText(array.shape) << "]";
  if (n)
    llvm::outs() << llvm::format(": min %.6g max %.6g mean %.6g", lo, hi,
                                 sum / n);
  llvm::outs() << "\n";
}

/// numpy.allclose's rule, |gpu - cpu| <= atol + rtol * |cpu|, NaN equal to
/// NaN; prints one line per tensor.
static bool matchesInterpreter(unsigned index, const HostArray &gpu,
                               const HostArray &cpu, double rtol, double atol) {
  int64_t n = gpu.numElements(), mismatches = 0, first = -1;
  double worst = 0;
  for (int64_t i = 0; i < n; ++i) {
    double g = gpu.getDouble(i), c = cpu.getDouble(i);
    bool same = (std::isnan(g) && std::isnan(c)) || g == c ||
                std::fabs(g - c) <= atol + rtol * std::fabs(c);
    if (!std::isnan(g - c))
      worst = std::max(worst, std::fabs(g - c));
    if (!same && mismatches++ == 0)
      first = i;
  }
  llvm::outs() << "  arg" << index
               << llvm::format(": max abs diff %.3e", worst);
  if (!mismatches) {
    llvm::outs() << ": ok\n";
    return true;
  }
  llvm::outs() << ", " << mismatches << " of " << n
               << " elements differ (first #" << first << ": gpu "
               << llvm::format("%.9g, interpreter %.9g", gpu.getDouble(first),
                               cpu.getDouble(first))
               << "): FAIL\n";
  return false;
}

/// Checks that @func takes the arguments the manifest describes.
static LogicalResult checkSignature(func::FuncOp func,
                                    const KernelManifest &manifest,
                                    MLIRContext &context, std::string &error) {
  FunctionType type = func.getFunctionType();
  if (type.getNumInputs() != manifest.arguments.size()) {
    error = "@" + func.getSymName().str() + " takes " +
            std::to_string(type.getNumInputs()) + " arguments, the kernel " +
            std::to_string(manifest.arguments.size());
    return failure();
  }
  for (auto [i, info] : llvm::enumerate(manifest.arguments)) {
    Type argType = type.getInput(i);
    auto memref = dyn_cast<MemRefType>(argType);
    bool matches = info.isTensor ? memref && memref.getRank() == info.rank &&
                                       memref.getElementType() ==
                                           toMlirType(context, info.element)
                                 : argType == toMlirType(context, info.scalar);
    if (!matches) {
      std::string typeText;
      llvm::raw_string_ostream os(typeText);
      os << argType;
      error = "argument #" + std::to_string(i) + " of @" +
              func.getSymName().str() + " is " + typeText +
              ", the kernel's manifest says a " + describeArgument(info);
      return failure();
    }
  }
  return success();
}

namespace {
/// The host side of every argument, built from the command line.
struct HostArguments {
  std::vector<HostArray> arrays; ///< one per argument; rank 0 for scalars
};
} // namespace

static llvm::Expected<HostArguments>
bindHostArguments(const KernelManifest &manifest,
                  const SharedRunOptions &shared, MLIRContext &context) {
  std::map<unsigned, std::string> npyInputs;
  for (StringRef spec : shared.inputs) {
    auto [index, path] = spec.split('=');
    unsigned i;
    if (path.empty() || index.getAsInteger(10, i))
      return llvm::createStringError(
          "--input expects <index>=<file.npy>, got '" + spec + "'");
    if (i >= manifest.arguments.size())
      return llvm::createStringError("--input " + spec + ": the kernel takes " +
                                     Twine(manifest.arguments.size()) +
                                     " arguments");
    npyInputs[i] = path.str();
  }
  SmallVector<StringRef> sizeSpecs, scalarSpecs;
  if (!shared.argSizes.empty())
    shared.argSizes.split(sizeSpecs, ',');
  if (!shared.scalars.empty())
    shared.scalars.split(scalarSpecs, ',');
  if (shared.fill != "random" && shared.fill != "zeros" &&
      shared.fill != "ones" && shared.fill != "iota")
    return llvm::createStringError(
        "--fill must be random, zeros, ones or iota");

  HostArguments host;
  unsigned tensorIndex = 0, scalarIndex = 0;
  for (auto [i, info] : llvm::enumerate(manifest.arguments)) {
    std::string where =
        "argument #" + std::to_string(i) + " (" + describeArgument(info) + ")";
    Type elementType = info.isTensor ? toMlirType(context, info.element)
                                     : toMlirType(context, info.scalar);
    HostArray array;
    auto input = npyInputs.find(i);
    if (input != npyInputs.end()) {
      std::string e = interp::readNpy(input->second, elementType, array);
      if (!e.empty())
        return llvm::createStringError(where + ": " + e);
      if (array.shape.size() != (info.isTensor ? info.rank : 0))
        return llvm::createStringError(where + ": " + input->second +
                                       " has shape [" + shapeText(array.shape) +
                                       "]");
      if (info.isTensor)
        ++tensorIndex;
    } else if (info.isTensor) {
      // As in --interpret mode, --arg-sizes lists every tensor in order; '-'
      // stands for one given by --input.
      StringRef spec = tensorIndex < sizeSpecs.size()
                           ? sizeSpecs[tensorIndex].trim()
                           : StringRef("-");
      if (spec == "-")
        return llvm::createStringError(
            where + ": no shape; give it in --arg-sizes (tensor #" +
            Twine(tensorIndex) + ") or its contents with --input");
      ++tensorIndex;
      SmallVector<StringRef> dims;
      SmallVector<int64_t> shape;
      if (!spec.empty())
        spec.split(dims, 'x');
      for (StringRef d : dims) {
        int64_t v;
        if (d.trim().getAsInteger(10, v) || v < 0)
          return llvm::createStringError("--arg-sizes: '" + spec +
                                         "' is not a shape DxDx...");
        shape.push_back(v);
      }
      if (shape.size() != info.rank)
        return llvm::createStringError(where + ": --arg-sizes gives '" + spec +
                                       "', of rank " + Twine(shape.size()));
      array = HostArray(elementType, shape);
      if (shared.fill == "random") {
        interp::fillRandom(array, shared.seed * 0x9e3779b97f4a7c15ull + i);
      } else {
        for (int64_t k = 0, n = array.numElements(); k < n; ++k) {
          double v = shared.fill == "zeros"  ? 0
                     : shared.fill == "ones" ? 1
                                             : double(k);
          if (array.isFloat())
            array.floats[k] = interp::roundToFloatType(v, elementType);
          else
            array.ints[k] =
                interp::normalizeInt(static_cast<int64_t>(v), elementType);
        }
      }
    } else {
      if (scalarIndex >= scalarSpecs.size())
        return llvm::createStringError(
            where + ": no value; give it with --scalars (scalar #" +
            Twine(scalarIndex) + ") or --input");
      StringRef text = scalarSpecs[scalarIndex++].trim();
      array = HostArray(elementType, {});
      if (info.scalar == ScalarType::F32) {
        double v;
        if (text.getAsDouble(v))
          return llvm::createStringError(where + ": '" + text +
                                         "' is not a number");
        array.floats[0] = interp::roundToFloatType(v, elementType);
      } else {
        int64_t v;
        if (text.getAsInteger(0, v))
          return llvm::createStringError(where + ": '" + text +
                                         "' is not an integer");
        array.ints[0] = interp::normalizeInt(v, elementType);
      }
    }
    host.arrays.push_back(std::move(array));
  }
  if (sizeSpecs.size() > tensorIndex)
    return llvm::createStringError("--arg-sizes lists " +
                                   Twine(sizeSpecs.size()) +
                                   " shapes but the kernel has " +
                                   Twine(tensorIndex) + " tensor arguments");
  if (scalarSpecs.size() > scalarIndex)
    return llvm::createStringError(
        "--scalars lists " + Twine(scalarSpecs.size()) + " values but only " +
        Twine(scalarIndex) + " are needed");
  return host;
}

static llvm::Expected<std::map<unsigned, std::string>>
parseOutputs(const KernelManifest &manifest) {
  std::map<unsigned, std::string> paths;
  for (StringRef spec : outputs) {
    auto [index, path] = spec.split('=');
    unsigned i;
    if (path.empty() || index.getAsInteger(10, i))
      return llvm::createStringError(
          "--output expects <index>=<file.npy>, got '" + spec + "'");
    if (i >= manifest.arguments.size() || !manifest.arguments[i].isTensor)
      return llvm::createStringError("--output " + spec + ": argument #" +
                                     Twine(i) +
                                     " is not a tensor argument of the kernel");
    paths[i] = path.str();
  }
  return paths;
}

#if WEFT_HAVE_CUDA_RUNTIME
/// Runs the kernel once on `host` (tensors updated in place) and, with
/// --bench, times it.
static llvm::Error runOnGpu(const KernelManifest &manifest,
                            std::array<unsigned, 3> grid,
                            std::vector<HostArray> &host) {
  auto context = CudaContext::create(deviceOrdinal);
  if (!context)
    return context.takeError();
  CudaContext &ctx = **context;
  auto kernel = ctx.loadKernel(manifest);
  if (!kernel)
    return kernel.takeError();

  std::vector<DeviceBuffer> buffers(host.size());
  std::vector<BoundArgument> bound(host.size());
  for (auto [i, info] : llvm::enumerate(manifest.arguments)) {
    HostArray &array = host[i];
    if (!info.isTensor) {
      if (array.isFloat())
        bound[i].floatValue = array.floats[0];
      else
        bound[i].intValue = array.ints[0];
      continue;
    }
    size_t count = array.numElements();
    std::vector<uint8_t> bytes(count * elementTypeBytes(info.element));
    if (array.isFloat())
      encodeFloats(info.element, array.floats, bytes);
    else
      encodeInts(info.element, array.ints, bytes);
    auto buffer = ctx.allocate(bytes.size());
    if (!buffer)
      return buffer.takeError();
    if (llvm::Error e = ctx.copyToDevice(*buffer, bytes.data(), bytes.size()))
      return e;
    bound[i].deviceAddress = buffer->address();
    bound[i].shape.assign(array.shape.begin(), array.shape.end());
    buffers[i] = std::move(*buffer);
  }

  auto prepared = (*kernel)->prepare(bound);
  if (!prepared)
    return prepared.takeError();
  if (llvm::Error e = (*kernel)->launch(*prepared, grid))
    return e;
  if (llvm::Error e = ctx.synchronize())
    return llvm::createStringError("the kernel failed: " +
                                   llvm::toString(std::move(e)));
  for (auto [i, info] : llvm::enumerate(manifest.arguments)) {
    if (!info.isTensor)
      continue;
    HostArray &array = host[i];
    std::vector<uint8_t> bytes(buffers[i].size());
    if (llvm::Error e = ctx.copyToHost(bytes.data(), buffers[i], bytes.size()))
      return e;
    if (array.isFloat())
      decodeFloats(info.element, bytes, array.floats);
    else
      decodeInts(info.element, bytes, array.ints);
  }
  llvm::outs() << "weft-run: " << manifest.kernel << " on " << ctx.deviceName()
               << " (sm_" << ctx.computeCapability()[0]
               << ctx.computeCapability()[1] << "), grid " << grid[0] << "x"
               << grid[1] << "x" << grid[2] << ", block " << manifest.block[0]
               << "x" << manifest.block[1] << "x" << manifest.block[2]
               << ": ok\n";

  if (benchIterations) {
    auto timing =
        ctx.timeLaunches([&] { return (*kernel)->launch(*prepared, grid); },
                         warmupLaunches, benchIterations);
    if (!timing)
      return timing.takeError();
    llvm::outs() << llvm::format(
        "bench: %u launches after %u warm-up: median %.4f ms (min %.4f, max "
        "%.4f)\n",
        timing->iterations, warmupLaunches.getValue(), timing->medianMs,
        timing->minMs, timing->maxMs);
  }
  return llvm::Error::success();
}
#endif

int mlir::weft::runCudaMode(const SharedRunOptions &shared) {
  std::string manifestFile = manifestPath.empty()
                                 ? manifestPathForBinary(cudaBinary)
                                 : manifestPath.getValue();
  auto manifest = readKernelManifest(manifestFile);
  if (!manifest)
    return fail(manifest.takeError());
  // The file named on the command line is the one to run, wherever the
  // manifest's "binary" points.
  manifest->binary = cudaBinary;
  // A grid fixed by the program comes with the manifest; --grid overrides it.
  llvm::Expected<std::array<unsigned, 3>> grid =
      !shared.gridGiven && manifest->grid ? *manifest->grid
                                          : parseGrid(shared.grid);
  if (!grid)
    return fail(grid.takeError());
  auto outputPaths = parseOutputs(*manifest);
  if (!outputPaths)
    return fail(outputPaths.takeError());

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  auto host = bindHostArguments(*manifest, shared, context);
  if (!host)
    return fail(host.takeError());

  // The reference program is parsed and checked before the GPU runs.
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> reference;
  func::FuncOp referenceFunc;
  if (!checkAgainstInterpreter.empty()) {
    reference = parseSourceFile<ModuleOp>(checkAgainstInterpreter.getValue(),
                                          sourceMgr, &context);
    if (!reference)
      return fail("--check-against-interpreter: cannot parse '" +
                  checkAgainstInterpreter + "'");
    StringRef name = shared.entry;
    name.consume_front("@");
    if (name.empty())
      return fail("--check-against-interpreter needs --entry=<function>");
    referenceFunc = reference->lookupSymbol<func::FuncOp>(name);
    if (!referenceFunc || referenceFunc.isExternal())
      return fail("--check-against-interpreter: no function @" + name +
                  " with a body in '" + checkAgainstInterpreter + "'");
    std::string error;
    if (failed(checkSignature(referenceFunc, *manifest, context, error)))
      return fail("--check-against-interpreter: " + error);
  }
  std::vector<HostArray> initial = host->arrays;

#if WEFT_HAVE_CUDA_RUNTIME
  if (llvm::Error e = runOnGpu(*manifest, *grid, host->arrays))
    return fail("cannot run " + manifest->kernel +
                " on the GPU: " + llvm::toString(std::move(e)));
#else
  return fail("this weft-run was built without the CUDA toolkit (no cuda.h "
              "at configure time); --cuda is unavailable");
#endif

  for (auto [i, info] : llvm::enumerate(manifest->arguments))
    if (info.isTensor)
      printTensorSummary(i, info, host->arrays[i]);
  for (auto &[i, path] : *outputPaths) {
    std::string e = interp::writeNpy(path, host->arrays[i]);
    if (!e.empty())
      return fail(e);
  }
  if (!referenceFunc)
    return 0;

  std::vector<interp::RuntimeArg> args;
  for (auto [i, info] : llvm::enumerate(manifest->arguments))
    args.push_back({info.isTensor, std::make_shared<HostArray>(initial[i])});
  interp::RunOptions options;
  for (int d = 0; d < 3; ++d)
    options.grid[d] = (*grid)[d];
  SmallVector<interp::RuntimeArg> results;
  if (failed(interp::runFunction(referenceFunc, args, options, results)))
    return fail("the interpreter failed on @" + referenceFunc.getSymName());
  llvm::outs() << "check against the interpreter (@"
               << referenceFunc.getSymName()
               << llvm::format(", atol %g, rtol %g):\n", shared.absTol,
                               shared.relTol);
  bool ok = true;
  for (auto [i, info] : llvm::enumerate(manifest->arguments))
    if (info.isTensor)
      ok &= matchesInterpreter(i, host->arrays[i], *args[i].data, shared.relTol,
                               shared.absTol);
  llvm::outs() << (ok ? "PASS\n" : "FAIL\n");
  return ok ? 0 : 1;
}
