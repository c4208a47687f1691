//===- GpuBench.cpp - Weft kernels against cuBLAS on a GPU ----------------===//
//
//   weft-gpu-bench --problem=gemm --kernel=gemm.cubin --grid=64,32 \
//       --m=8192 --n=8192 --k=8192 --scalars=8192
//   weft-gpu-bench --problem=attention --kernel=fa.cubin --grid=64 \
//       --batch=1 --heads=1 --seq=8192 --head-dim=128 --scalars=8192
//
// Runs a Weft cubin (launched by its manifest, docs/runtime.md) and a vendor
// baseline on the same device inputs, compares the outputs, and reports the
// median time, TFLOP/s and the Weft / baseline throughput ratio. Baselines:
//   gemm:      cublasGemmEx (f32 accumulation, same element types).
//   attention: unfused attention in cuBLAS: S = scale * Q K^T
//              (cublasGemmStridedBatchedEx, f32), a row softmax compiled here
//              with NVRTC (P in the inputs' type), O = P V. This is what a
//              fused kernel must beat at the least; it is not FlashAttention-3
//              (utils/gpu-bench.sh adds PyTorch SDPA when torch is present).
// The last line of each problem is machine-readable:
//   RESULT <problem> weft_tflops=<x> baseline=<name> baseline_tflops=<y>
//          ratio=<x/y> check=<PASS|FAIL>
//
//===----------------------------------------------------------------------===//
#include "weft/Runtime/CUDA/CudaRuntime.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cublas_v2.h>
#include <nvrtc.h>

#include <cmath>
#include <cstring>
#include <random>

using namespace mlir::weft::cuda;
namespace cl = llvm::cl;
using llvm::Twine;

static cl::OptionCategory benchCategory("weft-gpu-bench options");
static cl::opt<std::string> problem("problem", cl::desc("gemm or attention"),
                                    cl::Required, cl::cat(benchCategory));
static cl::opt<std::string>
    kernelPath("kernel",
               cl::desc("The Weft cubin (its manifest: <cubin>.json)"),
               cl::Required, cl::cat(benchCategory));
static cl::opt<std::string>
    manifestOpt("manifest", cl::desc("The manifest, if not <cubin>.json"),
                cl::cat(benchCategory));
static cl::opt<std::string>
    gridOpt("grid",
            cl::desc("Launch grid X[,Y[,Z]] (default: the manifest's grid)"),
            cl::cat(benchCategory));
static cl::opt<std::string> scalarsOpt(
    "scalars",
    cl::desc("Values of the kernel's scalar arguments in order, comma "
             "separated"),
    cl::cat(benchCategory));
static cl::opt<std::string>
    roles("roles",
          cl::desc("Which kernel arguments are the operands (default gemm: "
                   "a=0,b=1,c=2; attention: q=0,k=1,v=2,o=3)"),
          cl::cat(benchCategory));
static cl::opt<int64_t> sizeM("m", cl::desc("GEMM: rows of A and C"),
                              cl::init(8192), cl::cat(benchCategory));
static cl::opt<int64_t> sizeN("n", cl::desc("GEMM: columns of B and C"),
                              cl::init(8192), cl::cat(benchCategory));
static cl::opt<int64_t> sizeK("k", cl::desc("GEMM: the reduction size"),
                              cl::init(8192), cl::cat(benchCategory));
static cl::opt<std::string>
    bLayout("b-layout",
            cl::desc("GEMM: B as [K, N] ('kn', default) or [N, K] ('nk')"),
            cl::init("kn"), cl::cat(benchCategory));
static cl::opt<int64_t> batch("batch", cl::desc("Attention: batch"),
                              cl::init(1), cl::cat(benchCategory));
static cl::opt<int64_t> heads("heads", cl::desc("Attention: heads"),
                              cl::init(1), cl::cat(benchCategory));
static cl::opt<int64_t> seq("seq", cl::desc("Attention: sequence length"),
                            cl::init(8192), cl::cat(benchCategory));
static cl::opt<int64_t> headDim("head-dim", cl::desc("Attention: head size"),
                                cl::init(128), cl::cat(benchCategory));
static cl::opt<bool> causal("causal",
                            cl::desc("Attention: causal (the Weft kernel must "
                                     "be compiled causal too)"),
                            cl::cat(benchCategory));
static cl::opt<double> softmaxScale(
    "softmax-scale",
    cl::desc("Attention: scale of Q K^T in the baseline; must be the Weft "
             "kernel's (default 1, that of docs/examples/"
             "flash_attention_fwd.mlir)"),
    cl::init(1.0), cl::cat(benchCategory));
static cl::opt<unsigned> warmup("warmup", cl::desc("Untimed launches"),
                                cl::init(10), cl::cat(benchCategory));
static cl::opt<unsigned> iterations("iterations",
                                    cl::desc("Timed launches (median)"),
                                    cl::init(50), cl::cat(benchCategory));
static cl::opt<double> relTol("rtol",
                              cl::desc("Relative tolerance of the comparison"),
                              cl::init(2e-2), cl::cat(benchCategory));
static cl::opt<double> absTol("atol",
                              cl::desc("Absolute tolerance of the comparison"),
                              cl::init(2e-2), cl::cat(benchCategory));
static cl::opt<int> deviceOrdinal("device", cl::desc("CUDA device ordinal"),
                                  cl::init(0), cl::cat(benchCategory));

static int fail(const Twine &message) {
  llvm::errs() << "weft-gpu-bench: error: " << message << "\n";
  return 1;
}

static llvm::Error cublasError(cublasStatus_t status, const Twine &call) {
  if (status == CUBLAS_STATUS_SUCCESS)
    return llvm::Error::success();
  return llvm::createStringError(call + ": " + cublasGetStatusName(status) +
                                 " (" + cublasGetStatusString(status) + ")");
}

static cudaDataType cudaTypeOf(ElementType type) {
  switch (type) {
  case ElementType::F16:
    return CUDA_R_16F;
  case ElementType::BF16:
    return CUDA_R_16BF;
  case ElementType::F64:
    return CUDA_R_64F;
  default:
    return CUDA_R_32F;
  }
}

/// Argument indices by role name, from --roles or the defaults.
static llvm::Expected<std::vector<unsigned>>
parseRoles(llvm::ArrayRef<llvm::StringRef> names, llvm::StringRef defaults) {
  std::vector<unsigned> indices(names.size(), ~0u);
  llvm::SmallVector<llvm::StringRef> specs;
  llvm::StringRef(roles.empty() ? defaults : llvm::StringRef(roles))
      .split(specs, ',');
  for (llvm::StringRef spec : specs) {
    auto [name, value] = spec.split('=');
    auto it = llvm::find(names, name.trim());
    unsigned index;
    if (it == names.end() || value.trim().getAsInteger(10, index))
      return llvm::createStringError("--roles: '" + spec +
                                     "' is not <operand>=<argument index> "
                                     "(operands: " +
                                     llvm::join(names, ", ") + ")");
    indices[it - names.begin()] = index;
  }
  for (auto [i, index] : llvm::enumerate(indices))
    if (index == ~0u)
      return llvm::createStringError("--roles: no argument for '" + names[i] +
                                     "'");
  return indices;
}

namespace {
/// One benchmark: the device, the Weft kernel and its argument buffers.
struct Bench {
  KernelManifest manifest;
  std::array<unsigned, 3> grid = {1, 1, 1};
  /// Shapes (tensors) and values (scalars) first; device addresses once
  /// open() allocated the buffers.
  std::vector<BoundArgument> args;
  std::vector<bool> bound;
  std::unique_ptr<CudaContext> context;
  std::unique_ptr<CudaKernel> kernel;
  std::vector<DeviceBuffer> buffers;

  /// Records tensor `arg` (the operand `role`) with `shape`, after checking
  /// that the kernel takes a tensor of that rank there.
  llvm::Error bindTensor(unsigned arg, llvm::StringRef role,
                         llvm::ArrayRef<int64_t> shape) {
    const auto &arguments = manifest.arguments;
    if (arg >= arguments.size() || !arguments[arg].isTensor)
      return llvm::createStringError(role + ": argument " + Twine(arg) +
                                     " of the kernel is not a tensor");
    if (arguments[arg].rank != shape.size())
      return llvm::createStringError(
          role + ": the kernel's argument " + Twine(arg) + " has rank " +
          Twine(arguments[arg].rank) + ", the benchmark needs rank " +
          Twine(shape.size()));
    args[arg].shape.assign(shape.begin(), shape.end());
    bound[arg] = true;
    return llvm::Error::success();
  }

  /// Binds the scalar arguments from --scalars, in order; checks that every
  /// tensor argument has an operand role.
  llvm::Error bindScalars() {
    llvm::SmallVector<llvm::StringRef> values;
    if (!scalarsOpt.empty())
      llvm::StringRef(scalarsOpt).split(values, ',');
    size_t next = 0;
    for (auto [i, info] : llvm::enumerate(manifest.arguments)) {
      if (info.isTensor) {
        if (!bound[i])
          return llvm::createStringError(
              "argument " + Twine(i) +
              " of the kernel is a tensor the benchmark does not provide; "
              "check --roles");
        continue;
      }
      if (next >= values.size())
        return llvm::createStringError(
            "argument " + Twine(i) + " of the kernel is a scalar " +
            scalarTypeName(info.scalar) + "; give it in --scalars");
      llvm::StringRef text = values[next++].trim();
      bool bad = info.scalar == ScalarType::F32
                     ? text.getAsDouble(args[i].floatValue)
                     : text.getAsInteger(0, args[i].intValue);
      if (bad)
        return llvm::createStringError("--scalars: '" + text +
                                       "' is not a value of type " +
                                       scalarTypeName(info.scalar));
    }
    if (next != values.size())
      return llvm::createStringError("--scalars lists " + Twine(values.size()) +
                                     " values, the kernel takes " +
                                     Twine(next));
    return llvm::Error::success();
  }

  /// Opens the device, loads the kernel and allocates every tensor.
  llvm::Error open() {
    auto created = CudaContext::create(deviceOrdinal);
    if (!created)
      return created.takeError();
    context = std::move(*created);
    auto loaded = context->loadKernel(manifest);
    if (!loaded)
      return loaded.takeError();
    kernel = std::move(*loaded);
    buffers.resize(args.size());
    for (auto [i, info] : llvm::enumerate(manifest.arguments)) {
      if (!info.isTensor)
        continue;
      int64_t count = 1;
      for (int64_t d : args[i].shape)
        count *= d;
      auto buffer = context->allocate(count * elementTypeBytes(info.element));
      if (!buffer)
        return buffer.takeError();
      args[i].deviceAddress = buffer->address();
      buffers[i] = std::move(*buffer);
    }
    return llvm::Error::success();
  }
};
} // namespace

/// Reads the grid and the kernel's manifest; touches no GPU.
static llvm::Expected<Bench> planBench() {
  Bench bench;
  auto manifest =
      readKernelManifest(manifestOpt.empty() ? manifestPathForBinary(kernelPath)
                                             : manifestOpt.getValue());
  if (!manifest)
    return manifest.takeError();
  bench.manifest = std::move(*manifest);
  if (gridOpt.empty() && !bench.manifest.grid)
    return llvm::createStringError(
        "--grid is needed: the kernel's manifest has no grid");
  auto grid = gridOpt.empty() ? *bench.manifest.grid : parseGrid(gridOpt);
  if (!grid)
    return grid.takeError();
  bench.grid = *grid;
  // The file on the command line is the one to run.
  bench.manifest.binary = kernelPath;
  bench.args.resize(bench.manifest.arguments.size());
  bench.bound.resize(bench.manifest.arguments.size());
  return bench;
}

/// Fills a device buffer with values k / 64, k in [-64, 64]: exact in f16,
/// bf16 and f32, so that products are exact and sums of them nearly so; two
/// correct kernels then agree to the rounding of their outputs whatever
/// their summation order.
static llvm::Error fillGrid(CudaContext &context, DeviceBuffer &buffer,
                            ElementType type, uint64_t seed) {
  unsigned bytes = elementTypeBytes(type);
  std::vector<uint8_t> table(129 * bytes);
  std::vector<double> values;
  for (int k = -64; k <= 64; ++k)
    values.push_back(k / 64.0);
  encodeFloats(type, values, table);
  size_t count = buffer.size() / bytes;
  std::vector<uint8_t> host(buffer.size());
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < count; ++i)
    std::memcpy(&host[i * bytes], &table[(rng() % 129) * bytes], bytes);
  return context.copyToDevice(buffer, host.data(), host.size());
}

/// Compares two device tensors of `type`; prints one line, returns whether
/// they agree (numpy.allclose rule).
static llvm::Expected<bool> compareOutputs(CudaContext &context,
                                           const DeviceBuffer &weft,
                                           const DeviceBuffer &baseline,
                                           ElementType type) {
  size_t count = weft.size() / elementTypeBytes(type);
  std::vector<uint8_t> bytes(weft.size());
  std::vector<double> got(count), want(count);
  if (llvm::Error e = context.copyToHost(bytes.data(), weft, bytes.size()))
    return std::move(e);
  decodeFloats(type, bytes, got);
  if (llvm::Error e = context.copyToHost(bytes.data(), baseline, bytes.size()))
    return std::move(e);
  decodeFloats(type, bytes, want);
  double maxDiff = 0, maxRef = 0;
  size_t bad = 0;
  for (size_t i = 0; i < count; ++i) {
    double d = std::fabs(got[i] - want[i]);
    if (std::isnan(d) || d > absTol + relTol * std::fabs(want[i]))
      ++bad;
    maxDiff = std::max(maxDiff, std::isnan(d) ? INFINITY : d);
    maxRef = std::max(maxRef, std::fabs(want[i]));
  }
  llvm::outs() << llvm::format("  check: max |weft - baseline| %.3e (max "
                               "|baseline| %.3e), %zu of %zu elements "
                               "outside atol %g + rtol %g: %s\n",
                               maxDiff, maxRef, bad, count, absTol.getValue(),
                               relTol.getValue(), bad ? "FAIL" : "PASS");
  return bad == 0;
}

static void report(llvm::StringRef name, double flops,
                   const TimingSummary &weft, llvm::StringRef baselineName,
                   const TimingSummary &baseline, bool checked) {
  double weftTflops = flops / (weft.medianMs * 1e-3) / 1e12;
  double baseTflops = flops / (baseline.medianMs * 1e-3) / 1e12;
  llvm::outs() << llvm::format("  weft      %10.4f ms  %8.1f TFLOP/s\n",
                               weft.medianMs, weftTflops);
  llvm::outs() << llvm::format("  %-9s %10.4f ms  %8.1f TFLOP/s\n",
                               baselineName.str().c_str(), baseline.medianMs,
                               baseTflops);
  llvm::outs() << llvm::format("  ratio weft / %s: %.3f\n",
                               baselineName.str().c_str(),
                               weftTflops / baseTflops);
  llvm::outs() << llvm::format(
      "RESULT %s weft_tflops=%.2f baseline=%s baseline_tflops=%.2f "
      "ratio=%.4f check=%s\n",
      name.str().c_str(), weftTflops, baselineName.str().c_str(), baseTflops,
      weftTflops / baseTflops, checked ? "PASS" : "FAIL");
}

/// Runs the Weft kernel and the baseline once each, compares the Weft
/// kernel's output (argument `outputArg`) with the baseline's (`reference`),
/// then times both and reports. Returns whether the outputs agree.
static llvm::Expected<bool>
checkAndTime(Bench &bench, llvm::function_ref<llvm::Error()> launchBaseline,
             unsigned outputArg, const DeviceBuffer &reference,
             llvm::StringRef problemName, llvm::StringRef baselineName,
             double flops) {
  CudaContext &context = *bench.context;
  auto prepared = bench.kernel->prepare(bench.args);
  if (!prepared)
    return prepared.takeError();
  auto launchWeft = [&] { return bench.kernel->launch(*prepared, bench.grid); };
  // The output starts as zeros: an element the kernel fails to write shows
  // as a mismatch, not as whatever the allocation held before.
  if (llvm::Error e = context.zero(bench.buffers[outputArg]))
    return std::move(e);
  if (llvm::Error e = launchWeft())
    return std::move(e);
  if (llvm::Error e = launchBaseline())
    return std::move(e);
  if (llvm::Error e = context.synchronize())
    return std::move(e);
  auto checked = compareOutputs(context, bench.buffers[outputArg], reference,
                                bench.manifest.arguments[outputArg].element);
  if (!checked)
    return checked.takeError();
  auto weftTime = context.timeLaunches(launchWeft, warmup, iterations);
  if (!weftTime)
    return weftTime.takeError();
  auto baselineTime = context.timeLaunches(launchBaseline, warmup, iterations);
  if (!baselineTime)
    return baselineTime.takeError();
  report(problemName, flops, *weftTime, baselineName, *baselineTime, *checked);
  return *checked;
}

static llvm::Expected<bool> benchGemm() {
  auto role = parseRoles({"a", "b", "c"}, "a=0,b=1,c=2");
  if (!role)
    return role.takeError();
  if (bLayout != "kn" && bLayout != "nk")
    return llvm::createStringError("--b-layout must be kn or nk");
  auto planned = planBench();
  if (!planned)
    return planned.takeError();
  Bench &bench = *planned;
  int64_t m = sizeM, n = sizeN, k = sizeK;
  bool bIsNK = bLayout == "nk";
  unsigned a = (*role)[0], b = (*role)[1], c = (*role)[2];
  if (llvm::Error e = bench.bindTensor(a, "a", {m, k}))
    return std::move(e);
  llvm::SmallVector<int64_t, 2> bShape = {k, n};
  if (bIsNK)
    bShape = {n, k};
  if (llvm::Error e = bench.bindTensor(b, "b", bShape))
    return std::move(e);
  if (llvm::Error e = bench.bindTensor(c, "c", {m, n}))
    return std::move(e);
  if (llvm::Error e = bench.bindScalars())
    return std::move(e);
  const auto &arguments = bench.manifest.arguments;
  ElementType inType = arguments[a].element, outType = arguments[c].element;
  if (arguments[b].element != inType ||
      (inType != ElementType::F16 && inType != ElementType::BF16))
    return llvm::createStringError(
        "a and b must both be f16 or both bf16 (the kernel's are " +
        elementTypeName(inType) + " and " +
        elementTypeName(arguments[b].element) + ")");
  if (!isFloatElementType(outType) || outType == ElementType::F64)
    return llvm::createStringError("c must be f16, bf16 or f32");
  if (llvm::Error e = bench.open())
    return std::move(e);
  CudaContext &context = *bench.context;
  if (llvm::Error e = fillGrid(context, bench.buffers[a], inType, 1))
    return std::move(e);
  if (llvm::Error e = fillGrid(context, bench.buffers[b], inType, 2))
    return std::move(e);
  auto reference = context.allocate(bench.buffers[c].size());
  if (!reference)
    return reference.takeError();

  llvm::outs() << "gemm " << m << "x" << n << "x" << k << " "
               << elementTypeName(inType) << " -> " << elementTypeName(outType)
               << " (B " << bLayout << ") on " << context.deviceName()
               << " (sm_" << context.computeCapability()[0]
               << context.computeCapability()[1] << ")\n";

  cublasHandle_t handle;
  if (llvm::Error e = cublasError(cublasCreate(&handle), "cublasCreate"))
    return std::move(e);
  llvm::scope_exit destroy([&] { cublasDestroy(handle); });
  const float one = 1, zero = 0;
  // Row-major C = A B is column-major C^T = B^T A^T.
  auto launchCublas = [&]() -> llvm::Error {
    return cublasError(
        cublasGemmEx(
            handle, bIsNK ? CUBLAS_OP_T : CUBLAS_OP_N, CUBLAS_OP_N, n, m, k,
            &one, reinterpret_cast<void *>(bench.buffers[b].address()),
            cudaTypeOf(inType), bIsNK ? k : n,
            reinterpret_cast<void *>(bench.buffers[a].address()),
            cudaTypeOf(inType), k, &zero,
            reinterpret_cast<void *>(reference->address()), cudaTypeOf(outType),
            n, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
        "cublasGemmEx");
  };
  return checkAndTime(bench, launchCublas, c, *reference, "gemm", "cublas",
                      2.0 * m * n * k);
}

// The baseline's softmax over rows of f32 scores into probabilities in the
// inputs' 16-bit type; one block per row. Causal rows see the columns up to
// their own position, aligned to the bottom right (as weft.attention does).
static const char *kSoftmaxSource = R"cuda(
__device__ float warpReduce(float v, bool isMax) {
  for (int offset = 16; offset > 0; offset /= 2) {
    float other = __shfl_xor_sync(0xffffffffu, v, offset);
    v = isMax ? fmaxf(v, other) : v + other;
  }
  return v;
}
__device__ float blockReduce(float v, bool isMax, float *scratch) {
  int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  v = warpReduce(v, isMax);
  __syncthreads();
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  int warps = blockDim.x / 32;
  v = lane < warps ? scratch[lane] : (isMax ? __int_as_float(0xff800000) : 0.f);
  return warpReduce(v, isMax);
}
__device__ unsigned short to16(float v, int isBf16) {
  unsigned short bits;
  if (isBf16)
    asm("{ .reg .b16 t; cvt.rn.bf16.f32 t, %1; mov.b16 %0, t; }" : "=h"(bits) : "f"(v));
  else
    asm("{ .reg .b16 t; cvt.rn.f16.f32 t, %1; mov.b16 %0, t; }" : "=h"(bits) : "f"(v));
  return bits;
}
extern "C" __global__ void softmax_rows(const float *scores, unsigned short *probs,
                                        int rowsPerHead, int cols, int causal,
                                        int isBf16) {
  __shared__ float scratch[32];
  long long row = blockIdx.x;
  const float *s = scores + row * cols;
  unsigned short *p = probs + row * cols;
  int limit = causal ? min(cols, (int)(row % rowsPerHead) + 1 + cols - rowsPerHead)
                     : cols;
  float m = __int_as_float(0xff800000);
  for (int j = threadIdx.x; j < limit; j += blockDim.x) m = fmaxf(m, s[j]);
  m = blockReduce(m, true, scratch);
  float sum = 0.f;
  for (int j = threadIdx.x; j < limit; j += blockDim.x) sum += __expf(s[j] - m);
  sum = blockReduce(sum, false, scratch);
  float inv = 1.f / sum;
  for (int j = threadIdx.x; j < cols; j += blockDim.x)
    p[j] = to16(j < limit ? __expf(s[j] - m) * inv : 0.f, isBf16);
}
)cuda";

static llvm::Expected<std::unique_ptr<CudaKernel>>
compileSoftmax(CudaContext &context) {
  nvrtcProgram program;
  auto check = [&](nvrtcResult result, const char *call) -> llvm::Error {
    if (result == NVRTC_SUCCESS)
      return llvm::Error::success();
    std::string message =
        std::string(call) + ": " + nvrtcGetErrorString(result);
    size_t logSize = 0;
    if (nvrtcGetProgramLogSize(program, &logSize) == NVRTC_SUCCESS &&
        logSize > 1) {
      std::string log(logSize, '\0');
      if (nvrtcGetProgramLog(program, log.data()) == NVRTC_SUCCESS)
        message += "\n" + log;
    }
    return llvm::createStringError(message);
  };
  if (nvrtcCreateProgram(&program, kSoftmaxSource, "softmax.cu", 0, nullptr,
                         nullptr) != NVRTC_SUCCESS)
    return llvm::createStringError("nvrtcCreateProgram failed");
  llvm::scope_exit destroy([&] { nvrtcDestroyProgram(&program); });
  std::array<int, 2> cc = context.computeCapability();
  std::string arch = "--gpu-architecture=compute_" + std::to_string(cc[0]) +
                     std::to_string(cc[1]);
  const char *options[] = {arch.c_str()};
  if (llvm::Error e = check(nvrtcCompileProgram(program, 1, options),
                            "nvrtcCompileProgram(softmax)"))
    return std::move(e);
  size_t size;
  if (llvm::Error e = check(nvrtcGetPTXSize(program, &size), "nvrtcGetPTXSize"))
    return std::move(e);
  std::vector<char> ptx(size);
  if (llvm::Error e = check(nvrtcGetPTX(program, ptx.data()), "nvrtcGetPTX"))
    return std::move(e);
  KernelManifest manifest;
  manifest.kernel = "softmax_rows";
  manifest.target = arch;
  manifest.block = {256, 1, 1};
  return context.loadKernel(manifest, ptx, "the baseline's softmax (NVRTC)");
}

static llvm::Expected<bool> benchAttention() {
  auto role = parseRoles({"q", "k", "v", "o"}, "q=0,k=1,v=2,o=3");
  if (!role)
    return role.takeError();
  auto planned = planBench();
  if (!planned)
    return planned.takeError();
  Bench &bench = *planned;
  int64_t headCount = batch * heads, s = seq, d = headDim;
  const auto &arguments = bench.manifest.arguments;
  // The kernel's rank says how heads are laid out; all three are the same
  // contiguous [batch, heads, seq, head_dim] memory.
  unsigned rank =
      (*role)[0] < arguments.size() ? arguments[(*role)[0]].rank : 0;
  llvm::SmallVector<int64_t, 4> shape;
  if (rank == 2 && headCount == 1)
    shape = {s, d};
  else if (rank == 3)
    shape = {headCount, s, d};
  else if (rank == 4)
    shape = {batch, heads, s, d};
  else
    return llvm::createStringError(
        "q has rank " + Twine(rank) +
        "; the benchmark binds rank 2 ([seq, head_dim], one head), 3 "
        "([batch * heads, seq, head_dim]) or 4 ([batch, heads, seq, "
        "head_dim])");
  const char *operandNames[] = {"q", "k", "v", "o"};
  for (auto [i, name] : llvm::enumerate(operandNames))
    if (llvm::Error e = bench.bindTensor((*role)[i], name, shape))
      return std::move(e);
  if (llvm::Error e = bench.bindScalars())
    return std::move(e);
  ElementType inType = arguments[(*role)[0]].element;
  ElementType outType = arguments[(*role)[3]].element;
  if ((inType != ElementType::F16 && inType != ElementType::BF16) ||
      arguments[(*role)[1]].element != inType ||
      arguments[(*role)[2]].element != inType)
    return llvm::createStringError("q, k and v must all be f16 or all bf16");
  if (!isFloatElementType(outType) || outType == ElementType::F64)
    return llvm::createStringError("o must be f16, bf16 or f32");
  if (llvm::Error e = bench.open())
    return std::move(e);
  CudaContext &context = *bench.context;
  for (unsigned i = 0; i < 3; ++i)
    if (llvm::Error e =
            fillGrid(context, bench.buffers[(*role)[i]], inType, 7 + i))
      return std::move(e);

  llvm::outs() << "attention batch " << batch << " heads " << heads << " seq "
               << s << " head_dim " << d << (causal ? " causal " : " ")
               << elementTypeName(inType) << " on " << context.deviceName()
               << " (sm_" << context.computeCapability()[0]
               << context.computeCapability()[1] << ")\n";

  // The baseline's buffers: scores (f32) and probabilities (16-bit) of every
  // head at once, so that each step is one launch.
  auto scores = context.allocate(headCount * s * s * 4);
  if (!scores)
    return scores.takeError();
  auto probs = context.allocate(headCount * s * s * 2);
  if (!probs)
    return probs.takeError();
  auto reference = context.allocate(bench.buffers[(*role)[3]].size());
  if (!reference)
    return reference.takeError();
  auto softmax = compileSoftmax(context);
  if (!softmax)
    return softmax.takeError();

  cublasHandle_t handle;
  if (llvm::Error e = cublasError(cublasCreate(&handle), "cublasCreate"))
    return std::move(e);
  llvm::scope_exit destroy([&] { cublasDestroy(handle); });
  const float scale = static_cast<float>(softmaxScale), one = 1, zero = 0;
  auto pointer = [](const DeviceBuffer &buffer) {
    return reinterpret_cast<void *>(buffer.address());
  };
  const DeviceBuffer &q = bench.buffers[(*role)[0]],
                     &k = bench.buffers[(*role)[1]],
                     &v = bench.buffers[(*role)[2]];
  cudaDataType in = cudaTypeOf(inType);
  int rowsPerHead = static_cast<int>(s), cols = static_cast<int>(s);
  int isCausal = causal, isBf16 = inType == ElementType::BF16;
  uint64_t scoresAddress = scores->address(), probsAddress = probs->address();
  void *softmaxParams[] = {&scoresAddress, &probsAddress, &rowsPerHead,
                           &cols,          &isCausal,     &isBf16};
  auto launchBaseline = [&]() -> llvm::Error {
    // Row-major S = scale Q K^T is column-major S^T = scale K Q^T.
    if (llvm::Error e =
            cublasError(cublasGemmStridedBatchedEx(
                            handle, CUBLAS_OP_T, CUBLAS_OP_N, s, s, d, &scale,
                            pointer(k), in, d, s * d, pointer(q), in, d, s * d,
                            &zero, pointer(*scores), CUDA_R_32F, s, s * s,
                            headCount, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
                        "cublasGemmStridedBatchedEx(Q K^T)"))
      return e;
    if (llvm::Error e = (*softmax)->launchRaw(
            {static_cast<unsigned>(headCount * s), 1, 1}, softmaxParams))
      return e;
    // Row-major O = P V is column-major O^T = V^T P^T.
    return cublasError(cublasGemmStridedBatchedEx(
                           handle, CUBLAS_OP_N, CUBLAS_OP_N, d, s, s, &one,
                           pointer(v), in, d, s * d, pointer(*probs), in, s,
                           s * s, &zero, pointer(*reference),
                           cudaTypeOf(outType), d, s * d, headCount,
                           CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT),
                       "cublasGemmStridedBatchedEx(P V)");
  };
  // Two GEMMs of 2 s^2 d flops per head; causal attention does half.
  double flops = 4.0 * headCount * s * s * d * (causal ? 0.5 : 1.0);
  return checkAndTime(bench, launchBaseline, (*role)[3], *reference,
                      "attention", "cublas-unfused", flops);
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::HideUnrelatedOptions(benchCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "weft-gpu-bench: times a Weft cubin against cuBLAS on the GPU\n");
  if (iterations == 0)
    return fail("--iterations must be at least 1");
  if (problem != "gemm" && problem != "attention")
    return fail("--problem must be gemm or attention, not '" + problem + "'");
  llvm::Expected<bool> checked =
      problem == "gemm" ? benchGemm() : benchAttention();
  if (!checked)
    return fail(llvm::toString(checked.takeError()));
  return *checked ? 0 : 1;
}
