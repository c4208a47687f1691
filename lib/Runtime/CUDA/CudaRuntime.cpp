//===- CudaRuntime.cpp - Runs Weft kernels with the CUDA driver -----------===//
#include "weft/Runtime/CUDA/CudaRuntime.h"
#include "DriverAPI.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdlib>
#include <dlfcn.h>

using namespace mlir::weft::cuda;
using llvm::Twine;

// The pure launch contract spells out CUDA's enum values so that it builds
// without cuda.h; here they meet.
static_assert(
    unsigned(TensorMapFloat16) == CU_TENSOR_MAP_DATA_TYPE_FLOAT16 &&
        unsigned(TensorMapBFloat16) == CU_TENSOR_MAP_DATA_TYPE_BFLOAT16 &&
        unsigned(TensorMapFloat32) == CU_TENSOR_MAP_DATA_TYPE_FLOAT32 &&
        unsigned(TensorMapFloat64) == CU_TENSOR_MAP_DATA_TYPE_FLOAT64 &&
        unsigned(TensorMapUInt8) == CU_TENSOR_MAP_DATA_TYPE_UINT8 &&
        unsigned(TensorMapUInt16) == CU_TENSOR_MAP_DATA_TYPE_UINT16 &&
        unsigned(TensorMapInt32) == CU_TENSOR_MAP_DATA_TYPE_INT32 &&
        unsigned(TensorMapInt64) == CU_TENSOR_MAP_DATA_TYPE_INT64,
    "tensor map data types differ from cuda.h");
static_assert(unsigned(TensorMapSwizzleNone) == CU_TENSOR_MAP_SWIZZLE_NONE &&
                  unsigned(TensorMapSwizzle32B) == CU_TENSOR_MAP_SWIZZLE_32B &&
                  unsigned(TensorMapSwizzle64B) == CU_TENSOR_MAP_SWIZZLE_64B &&
                  unsigned(TensorMapSwizzle128B) == CU_TENSOR_MAP_SWIZZLE_128B,
              "tensor map swizzles differ from cuda.h");
static_assert(
    unsigned(TensorMapInterleaveNone) == CU_TENSOR_MAP_INTERLEAVE_NONE &&
        TensorMapL2Promotion128B == CU_TENSOR_MAP_L2_PROMOTION_L2_128B &&
        unsigned(TensorMapOobFillNone) == CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE,
    "tensor map options differ from cuda.h");
// TMA needs 64-byte alignment of the map; cuda.h may align CUtensorMap more
// strictly on the host, which does not matter once the map is in device
// memory (cuMemAlloc aligns to 256 bytes).
static_assert(sizeof(CUtensorMap) == kTensorMapBytes &&
                  alignof(CUtensorMap) % kTensorMapAlignment == 0,
              "CUtensorMap layout differs");

//===----------------------------------------------------------------------===//
// The driver
//===----------------------------------------------------------------------===//

std::string DriverAPI::describe(CUresult result) const {
  const char *name = nullptr, *text = nullptr;
  if (getErrorName && getErrorName(result, &name) != CUDA_SUCCESS)
    name = nullptr;
  if (getErrorString && getErrorString(result, &text) != CUDA_SUCCESS)
    text = nullptr;
  // NVIDIA's stub libcuda answers every call, cuGetErrorName included, with
  // CUDA_ERROR_STUB_LIBRARY; name it ourselves since that is the one error a
  // build machine without a driver is sure to see.
  if (!name && result == CUDA_ERROR_STUB_LIBRARY) {
    name = "CUDA_ERROR_STUB_LIBRARY";
    text = "the CUDA driver loaded is NVIDIA's stub library, not a driver";
  }
  std::string out = name ? name : "CUDA error " + std::to_string(result);
  if (text)
    out += std::string(" (") + text + ")";
  return out;
}

llvm::Error DriverAPI::check(CUresult result, const Twine &call) const {
  if (result == CUDA_SUCCESS)
    return llvm::Error::success();
  return llvm::createStringError(call + ": " + describe(result));
}

static llvm::Expected<DriverAPI> openDriver() {
  const char *override = std::getenv("WEFT_CUDA_DRIVER");
  std::string path = override && *override ? override : "libcuda.so.1";
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    return llvm::createStringError(
        "cannot load the CUDA driver '" + path + "' (" +
        (why ? why : "unknown reason") +
        "); running kernels needs an NVIDIA GPU and its driver");
  }
  DriverAPI api;
  api.getErrorName = reinterpret_cast<decltype(api.getErrorName)>(
      dlsym(handle, "cuGetErrorName"));
  api.getErrorString = reinterpret_cast<decltype(api.getErrorString)>(
      dlsym(handle, "cuGetErrorString"));
  auto getProcAddress = reinterpret_cast<decltype(&::cuGetProcAddress)>(
      dlsym(handle, "cuGetProcAddress_v2"));
  if (!getProcAddress)
    return llvm::createStringError(
        "the CUDA driver '" + path +
        "' has no cuGetProcAddress_v2; it predates CUDA 12");
  auto resolve = [&](const char *symbol, void **pointer) -> llvm::Error {
    CUdriverProcAddressQueryResult status;
    CUresult result = getProcAddress(symbol, pointer, CUDA_VERSION,
                                     CU_GET_PROC_ADDRESS_DEFAULT, &status);
    if (llvm::Error e = api.check(result, "cuGetProcAddress(" + Twine(symbol) +
                                              ") in '" + path + "'"))
      return e;
    if (status != CU_GET_PROC_ADDRESS_SUCCESS || !*pointer)
      return llvm::createStringError(
          "the CUDA driver '" + path + "' does not provide " + symbol +
          " for CUDA " + Twine(CUDA_VERSION / 1000) + "." +
          Twine(CUDA_VERSION % 1000 / 10) + "; update the driver");
    return llvm::Error::success();
  };
#define WEFT_RESOLVE(name)                                                     \
  if (llvm::Error e = resolve(#name, reinterpret_cast<void **>(&api.name)))    \
    return std::move(e);
  WEFT_CUDA_DRIVER_FUNCTIONS(WEFT_RESOLVE)
#undef WEFT_RESOLVE
  if (llvm::Error e = api.check(api.cuInit(0), "cuInit"))
    return std::move(e);
  // The handle stays open for the life of the process: the pointers into it
  // are used until exit.
  return api;
}

llvm::Expected<const DriverAPI &> mlir::weft::cuda::loadDriverAPI() {
  struct Loaded {
    std::optional<DriverAPI> api;
    std::string error;
  };
  static Loaded loaded = [] {
    Loaded l;
    llvm::Expected<DriverAPI> api = openDriver();
    if (api)
      l.api = *api;
    else
      l.error = llvm::toString(api.takeError());
    return l;
  }();
  if (!loaded.api)
    return llvm::createStringError(loaded.error);
  return *loaded.api;
}

//===----------------------------------------------------------------------===//
// Buffers, contexts, kernels
//===----------------------------------------------------------------------===//

DeviceBuffer &DeviceBuffer::operator=(DeviceBuffer &&other) noexcept {
  std::swap(driver, other.driver);
  std::swap(deviceAddress, other.deviceAddress);
  std::swap(bytes, other.bytes);
  return *this;
}

DeviceBuffer::~DeviceBuffer() {
  // A failure to free at teardown has nobody to report to; the context's
  // next call reports a broken context anyway.
  if (driver && deviceAddress)
    (void)driver->cuMemFree(static_cast<CUdeviceptr>(deviceAddress));
}

llvm::Expected<std::unique_ptr<CudaContext>> CudaContext::create(int ordinal) {
  llvm::Expected<const DriverAPI &> driver = loadDriverAPI();
  if (!driver)
    return driver.takeError();
  const DriverAPI &api = *driver;
  int count = 0;
  if (llvm::Error e =
          api.check(api.cuDeviceGetCount(&count), "cuDeviceGetCount"))
    return std::move(e);
  if (ordinal < 0 || ordinal >= count)
    return llvm::createStringError("no CUDA device " + Twine(ordinal) + " (" +
                                   Twine(count) + " present)");
  std::unique_ptr<CudaContext> context(new CudaContext(api));
  CUdevice device;
  if (llvm::Error e =
          api.check(api.cuDeviceGet(&device, ordinal), "cuDeviceGet"))
    return std::move(e);
  context->device = device;
  char name[256] = {0};
  if (llvm::Error e =
          api.check(api.cuDeviceGetName(name, sizeof(name) - 1, device),
                    "cuDeviceGetName"))
    return std::move(e);
  context->name = name;
  const CUdevice_attribute capabilityAttributes[] = {
      CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
      CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR};
  for (auto [i, attribute] : llvm::enumerate(capabilityAttributes))
    if (llvm::Error e =
            api.check(api.cuDeviceGetAttribute(&context->capability[i],
                                               attribute, device),
                      "cuDeviceGetAttribute"))
      return std::move(e);
  CUcontext primary;
  if (llvm::Error e = api.check(api.cuDevicePrimaryCtxRetain(&primary, device),
                                "cuDevicePrimaryCtxRetain"))
    return std::move(e);
  context->primaryContext = primary;
  if (llvm::Error e =
          api.check(api.cuCtxSetCurrent(primary), "cuCtxSetCurrent"))
    return std::move(e);
  return context;
}

CudaContext::~CudaContext() {
  if (primaryContext)
    (void)driver.cuDevicePrimaryCtxRelease(static_cast<CUdevice>(device));
}

llvm::Expected<DeviceBuffer> CudaContext::allocate(size_t bytes) {
  DeviceBuffer buffer;
  CUdeviceptr pointer = 0;
  // A zero-sized tensor still gets an address: kernels receive a valid,
  // never-dereferenced pointer.
  if (llvm::Error e =
          driver.check(driver.cuMemAlloc(&pointer, std::max<size_t>(bytes, 1)),
                       "cuMemAlloc(" + Twine(bytes) + " bytes)"))
    return std::move(e);
  buffer.driver = &driver;
  buffer.deviceAddress = pointer;
  buffer.bytes = bytes;
  return buffer;
}

llvm::Error CudaContext::copyToDevice(DeviceBuffer &dst, const void *src,
                                      size_t bytes) {
  if (bytes > dst.size())
    return llvm::createStringError("copy of " + Twine(bytes) +
                                   " bytes into a buffer of " +
                                   Twine(dst.size()));
  if (!bytes)
    return llvm::Error::success();
  return driver.check(driver.cuMemcpyHtoD(dst.address(), src, bytes),
                      "cuMemcpyHtoD(" + Twine(bytes) + " bytes)");
}

llvm::Error CudaContext::copyToHost(void *dst, const DeviceBuffer &src,
                                    size_t bytes) {
  if (bytes > src.size())
    return llvm::createStringError("copy of " + Twine(bytes) +
                                   " bytes out of a buffer of " +
                                   Twine(src.size()));
  if (!bytes)
    return llvm::Error::success();
  return driver.check(driver.cuMemcpyDtoH(dst, src.address(), bytes),
                      "cuMemcpyDtoH(" + Twine(bytes) + " bytes)");
}

llvm::Error CudaContext::zero(DeviceBuffer &buffer) {
  if (!buffer.size())
    return llvm::Error::success();
  return driver.check(driver.cuMemsetD8(buffer.address(), 0, buffer.size()),
                      "cuMemsetD8");
}

llvm::Error CudaContext::synchronize() {
  return driver.check(driver.cuCtxSynchronize(), "cuCtxSynchronize");
}

llvm::Expected<std::unique_ptr<CudaKernel>>
CudaContext::loadKernel(const KernelManifest &manifest) {
  auto file = llvm::MemoryBuffer::getFile(manifest.binary, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/true);
  if (!file)
    return llvm::createStringError("cannot read kernel binary '" +
                                   manifest.binary +
                                   "': " + file.getError().message());
  // MemoryBuffer guarantees a NUL after the contents, which PTX images need.
  llvm::StringRef bytes = (*file)->getBuffer();
  return loadKernel(manifest,
                    llvm::ArrayRef<char>(bytes.data(), bytes.size() + 1),
                    manifest.binary);
}

llvm::Expected<std::unique_ptr<CudaKernel>>
CudaContext::loadKernel(const KernelManifest &manifest,
                        llvm::ArrayRef<char> image, llvm::StringRef what) {
  std::unique_ptr<CudaKernel> kernel(new CudaKernel(*this, manifest));
  // Keep the JIT's log: an invalid PTX image is explained there, not in the
  // error code.
  char log[8192] = {0};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log) - 1)};
  CUmodule module;
  CUresult result =
      driver.cuModuleLoadDataEx(&module, image.data(), 2, options, values);
  if (result != CUDA_SUCCESS) {
    std::string message =
        "cuModuleLoadData(" + what.str() + "): " + driver.describe(result);
    if (log[0])
      message += "\n" + std::string(log);
    if (result == CUDA_ERROR_NO_BINARY_FOR_GPU ||
        result == CUDA_ERROR_INVALID_IMAGE)
      message += "\n(the manifest says target " + manifest.target +
                 "; the device is sm_" + std::to_string(capability[0]) +
                 std::to_string(capability[1]) + ")";
    return llvm::createStringError(message);
  }
  kernel->module = module;
  CUfunction function;
  if (llvm::Error e = driver.check(
          driver.cuModuleGetFunction(&function, module,
                                     manifest.kernel.c_str()),
          "cuModuleGetFunction(" + manifest.kernel + ") in " + what))
    return std::move(e);
  kernel->function = function;
  if (manifest.sharedMemoryBytes)
    if (llvm::Error e = driver.check(
            driver.cuFuncSetAttribute(
                function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                static_cast<int>(manifest.sharedMemoryBytes)),
            "cuFuncSetAttribute(" + manifest.kernel +
                ", MAX_DYNAMIC_SHARED_SIZE_BYTES = " +
                Twine(manifest.sharedMemoryBytes) + ")"))
      return std::move(e);
  return kernel;
}

llvm::Expected<TimingSummary>
CudaContext::timeLaunches(llvm::function_ref<llvm::Error()> launchOnce,
                          unsigned warmup, unsigned iterations) {
  for (unsigned i = 0; i < warmup; ++i)
    if (llvm::Error e = launchOnce())
      return std::move(e);
  // One event pair per iteration: the median of single launches is robust
  // against the odd slow launch, where an average over a batch is not.
  std::vector<CUevent> events(2 * iterations, nullptr);
  llvm::scope_exit destroyEvents([&] {
    for (CUevent event : events)
      if (event)
        (void)driver.cuEventDestroy(event);
  });
  for (CUevent &event : events)
    if (llvm::Error e = driver.check(
            driver.cuEventCreate(&event, CU_EVENT_DEFAULT), "cuEventCreate"))
      return std::move(e);
  for (unsigned i = 0; i < iterations; ++i) {
    if (llvm::Error e = driver.check(
            driver.cuEventRecord(events[2 * i], nullptr), "cuEventRecord"))
      return std::move(e);
    if (llvm::Error e = launchOnce())
      return std::move(e);
    if (llvm::Error e = driver.check(
            driver.cuEventRecord(events[2 * i + 1], nullptr), "cuEventRecord"))
      return std::move(e);
  }
  std::vector<float> times;
  for (unsigned i = 0; i < iterations; ++i) {
    if (llvm::Error e =
            driver.check(driver.cuEventSynchronize(events[2 * i + 1]),
                         "cuEventSynchronize (kernel execution)"))
      return std::move(e);
    float ms = 0;
    if (llvm::Error e = driver.check(
            driver.cuEventElapsedTime(&ms, events[2 * i], events[2 * i + 1]),
            "cuEventElapsedTime"))
      return std::move(e);
    times.push_back(ms);
  }
  return summarizeTimings(times);
}

CudaKernel::~CudaKernel() {
  if (module)
    (void)context.driver.cuModuleUnload(static_cast<CUmodule>(module));
}

llvm::Expected<PreparedLaunch>
CudaKernel::prepare(llvm::ArrayRef<BoundArgument> args) {
  if (llvm::Error e = checkBoundArguments(kernelManifest, args))
    return std::move(e);
  const DriverAPI &driver = context.driver;
  PreparedLaunch prepared;
  std::vector<uint64_t> tensorMapAddresses;
  for (const ManifestParam &param : kernelManifest.params) {
    if (param.kind != ManifestParam::Kind::TensorMap)
      continue;
    const BoundArgument &arg = args[param.arg];
    llvm::Expected<TensorMapArgs> map = computeTensorMapArgs(param, arg.shape);
    if (!map)
      return map.takeError();
    CUtensorMap encoded;
    if (llvm::Error e = driver.check(
            driver.cuTensorMapEncodeTiled(
                &encoded, static_cast<CUtensorMapDataType>(map->dataType),
                map->rank, reinterpret_cast<void *>(arg.deviceAddress),
                map->globalDims.data(), map->globalStridesBytes.data(),
                map->boxDims.data(), map->elementStrides.data(),
                static_cast<CUtensorMapInterleave>(map->interleave),
                static_cast<CUtensorMapSwizzle>(map->swizzle),
                static_cast<CUtensorMapL2promotion>(map->l2Promotion),
                static_cast<CUtensorMapFloatOOBfill>(map->oobFill)),
            "cuTensorMapEncodeTiled(arg" + Twine(param.arg) + ")"))
      return std::move(e);
    // The kernel reads the map from global memory (cuMemAlloc's 256-byte
    // alignment covers the 64 bytes TMA needs).
    llvm::Expected<DeviceBuffer> buffer = context.allocate(sizeof(encoded));
    if (!buffer)
      return buffer.takeError();
    if (llvm::Error e =
            context.copyToDevice(*buffer, &encoded, sizeof(encoded)))
      return std::move(e);
    tensorMapAddresses.push_back(buffer->address());
    prepared.tensorMaps.push_back(std::move(*buffer));
  }
  llvm::Expected<PackedParams> packed =
      packKernelParams(kernelManifest, args, tensorMapAddresses);
  if (!packed)
    return packed.takeError();
  prepared.params = std::move(*packed);
  return prepared;
}

llvm::Error CudaKernel::launchRaw(std::array<unsigned, 3> grid, void **params) {
  const KernelManifest &m = kernelManifest;
  return context.driver.check(
      context.driver.cuLaunchKernel(
          static_cast<CUfunction>(function), grid[0], grid[1], grid[2],
          m.block[0], m.block[1], m.block[2],
          static_cast<unsigned>(m.sharedMemoryBytes), nullptr, params, nullptr),
      "cuLaunchKernel(" + m.kernel + ", grid " + Twine(grid[0]) + "x" +
          Twine(grid[1]) + "x" + Twine(grid[2]) + ", block " +
          Twine(m.block[0]) + "x" + Twine(m.block[1]) + "x" +
          Twine(m.block[2]) + ", " + Twine(m.sharedMemoryBytes) +
          " bytes of shared memory)");
}

llvm::Error CudaKernel::launch(PreparedLaunch &prepared,
                               std::array<unsigned, 3> grid) {
  std::vector<void *> pointers = prepared.params.pointers();
  return launchRaw(grid, pointers.data());
}
