//===- HipRuntime.cpp - Launches Weft code objects with HIP ---------------===//
#include "weft/Runtime/HIP/HipRuntime.h"

#include "llvm/Support/MemoryBuffer.h"

#include <hip/hip_runtime_api.h>

using namespace mlir::weft;
using namespace mlir::weft::hip;

/// An llvm::Error naming the HIP call and its error, or success.
static llvm::Error check(hipError_t status, llvm::StringRef call) {
  if (status == hipSuccess)
    return llvm::Error::success();
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "%s: %s (%s)", call.str().c_str(),
                                 hipGetErrorName(status),
                                 hipGetErrorString(status));
}

llvm::Expected<DeviceBuffer> DeviceBuffer::allocate(size_t bytes) {
  DeviceBuffer buffer;
  if (llvm::Error error = check(hipMalloc(&buffer.pointer, bytes), "hipMalloc"))
    return std::move(error);
  buffer.bytes = bytes;
  return std::move(buffer);
}

DeviceBuffer::DeviceBuffer(DeviceBuffer &&other) noexcept {
  *this = std::move(other);
}

DeviceBuffer &DeviceBuffer::operator=(DeviceBuffer &&other) noexcept {
  std::swap(pointer, other.pointer);
  std::swap(bytes, other.bytes);
  return *this;
}

DeviceBuffer::~DeviceBuffer() {
  if (pointer)
    (void)hipFree(pointer);
}

llvm::Error DeviceBuffer::copyFromHost(const void *data, size_t count) {
  return check(hipMemcpy(pointer, data, std::min(count, bytes),
                         hipMemcpyHostToDevice),
               "hipMemcpy(host to device)");
}

llvm::Error DeviceBuffer::copyToHost(void *data, size_t count) const {
  return check(hipMemcpy(data, pointer, std::min(count, bytes),
                         hipMemcpyDeviceToHost),
               "hipMemcpy(device to host)");
}

llvm::Expected<std::unique_ptr<HipKernel>>
HipKernel::load(llvm::StringRef hsacoPath) {
  std::unique_ptr<HipKernel> kernel(new HipKernel());
  llvm::Expected<cuda::KernelManifest> manifest =
      cuda::readKernelManifest(cuda::manifestPathForBinary(hsacoPath));
  if (!manifest)
    return manifest.takeError();
  kernel->kernelManifest = std::move(*manifest);
  for (const cuda::ManifestParam &param : kernel->kernelManifest.params)
    if (param.kind == cuda::ManifestParam::Kind::TensorMap)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "%s: tensor-map parameters are NVIDIA "
                                     "only",
                                     hsacoPath.str().c_str());
  auto image = llvm::MemoryBuffer::getFile(hsacoPath, /*IsText=*/false);
  if (!image)
    return llvm::createStringError(image.getError(), "cannot read %s",
                                   hsacoPath.str().c_str());
  hipModule_t module;
  if (llvm::Error error =
          check(hipModuleLoadData(&module, (*image)->getBufferStart()),
                ("hipModuleLoadData(" + hsacoPath + ")").str()))
    return std::move(error);
  kernel->module = module;
  hipFunction_t function;
  if (llvm::Error error = check(
          hipModuleGetFunction(&function, module,
                               kernel->kernelManifest.kernel.c_str()),
          "hipModuleGetFunction(" + kernel->kernelManifest.kernel + ")"))
    return std::move(error);
  kernel->function = function;
  return std::move(kernel);
}

HipKernel::~HipKernel() {
  if (module)
    (void)hipModuleUnload(static_cast<hipModule_t>(module));
}

llvm::Expected<float>
HipKernel::launch(llvm::ArrayRef<cuda::BoundArgument> args,
                  std::array<unsigned, 3> grid) {
  if (llvm::Error error = cuda::checkBoundArguments(kernelManifest, args))
    return std::move(error);
  // Every parameter of a Weft kernel is 8 bytes (pointers, sizes, strides,
  // index scalars) at 8-byte kernarg offsets, the layout the CUDA packer
  // produces.
  llvm::Expected<cuda::PackedParams> packed =
      cuda::packKernelParams(kernelManifest, args, {});
  if (!packed)
    return packed.takeError();
  std::array<unsigned, 3> blocks =
      kernelManifest.grid ? *kernelManifest.grid : grid;
  if (blocks[0] == 0)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "kernel %s has no grid in its manifest; "
                                   "pass one",
                                   kernelManifest.kernel.c_str());
  std::vector<void *> pointers = packed->pointers();
  hipEvent_t start, stop;
  if (llvm::Error error = check(hipEventCreate(&start), "hipEventCreate"))
    return std::move(error);
  if (llvm::Error error = check(hipEventCreate(&stop), "hipEventCreate"))
    return std::move(error);
  (void)hipEventRecord(start, nullptr);
  llvm::Error launched = check(
      hipModuleLaunchKernel(static_cast<hipFunction_t>(function), blocks[0],
                            blocks[1], blocks[2], kernelManifest.block[0],
                            kernelManifest.block[1], kernelManifest.block[2],
                            /*sharedMemBytes=*/0, nullptr, pointers.data(),
                            nullptr),
      "hipModuleLaunchKernel(" + kernelManifest.kernel + ")");
  (void)hipEventRecord(stop, nullptr);
  llvm::Error finished =
      check(hipEventSynchronize(stop), "hipEventSynchronize");
  float milliseconds = 0;
  (void)hipEventElapsedTime(&milliseconds, start, stop);
  (void)hipEventDestroy(start);
  (void)hipEventDestroy(stop);
  if (launched) {
    llvm::consumeError(std::move(finished));
    return std::move(launched);
  }
  if (finished)
    return std::move(finished);
  return milliseconds;
}
