//===- CudaRuntime.h - Runs Weft kernels with the CUDA driver ---*- C++ -*-===//
//
// Loads cubins (or PTX) with the CUDA driver API, binds user arguments by the
// kernel's manifest (KernelManifest.h), launches and times them. The driver
// (libcuda.so.1) is opened at run time, not linked: tools that contain this
// runtime start and run their CPU modes on machines without an NVIDIA driver,
// and report its absence as an error only when a GPU is asked for. Every CUDA
// failure comes back as an llvm::Error naming the call and the CUDA error,
// e.g. "cuModuleLoadData(k.cubin): CUDA_ERROR_INVALID_IMAGE (...)".
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_RUNTIME_CUDA_CUDARUNTIME_H
#define WEFT_RUNTIME_CUDA_CUDARUNTIME_H

#include "weft/Runtime/CUDA/KernelManifest.h"
#include "weft/Runtime/CUDA/LaunchContract.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mlir {
namespace weft {
namespace cuda {

class CudaContext;
struct DriverAPI;

/// Device memory owned by a CudaContext; freed on destruction.
class DeviceBuffer {
public:
  DeviceBuffer() = default;
  DeviceBuffer(DeviceBuffer &&other) noexcept { *this = std::move(other); }
  DeviceBuffer &operator=(DeviceBuffer &&other) noexcept;
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
  ~DeviceBuffer();

  uint64_t address() const { return deviceAddress; }
  size_t size() const { return bytes; }

private:
  friend class CudaContext;
  const DriverAPI *driver = nullptr;
  uint64_t deviceAddress = 0;
  size_t bytes = 0;
};

/// A kernel's parameters, ready to launch: the packed parameter slots and
/// the device-resident tensor maps they point to.
struct PreparedLaunch {
  PackedParams params;
  std::vector<DeviceBuffer> tensorMaps;
};

/// A loaded module and one of its kernels.
class CudaKernel {
public:
  ~CudaKernel();
  CudaKernel(const CudaKernel &) = delete;
  CudaKernel &operator=(const CudaKernel &) = delete;

  const KernelManifest &manifest() const { return kernelManifest; }

  /// Encodes the manifest's tensor maps over `args` (into device memory) and
  /// packs every parameter.
  llvm::Expected<PreparedLaunch> prepare(llvm::ArrayRef<BoundArgument> args);

  /// Launches on the default stream with the manifest's block and dynamic
  /// shared memory; does not wait.
  llvm::Error launch(PreparedLaunch &prepared, std::array<unsigned, 3> grid);

  /// Launches with explicit parameters (for kernels without a manifest, whose
  /// KernelManifest holds only the name, block and shared memory).
  llvm::Error launchRaw(std::array<unsigned, 3> grid, void **params);

private:
  friend class CudaContext;
  CudaKernel(CudaContext &context, KernelManifest manifest)
      : context(context), kernelManifest(std::move(manifest)) {}

  CudaContext &context;
  KernelManifest kernelManifest;
  void *module = nullptr;   // CUmodule
  void *function = nullptr; // CUfunction
};

/// The primary context of one device, current on the calling thread while
/// this object lives. cuBLAS (through the CUDA runtime) shares it.
class CudaContext {
public:
  /// Opens the driver (libcuda.so.1, or $WEFT_CUDA_DRIVER) and device
  /// `ordinal`.
  static llvm::Expected<std::unique_ptr<CudaContext>> create(int ordinal = 0);
  ~CudaContext();
  CudaContext(const CudaContext &) = delete;
  CudaContext &operator=(const CudaContext &) = delete;

  const std::string &deviceName() const { return name; }
  /// Compute capability, e.g. {9, 0} on H100.
  std::array<int, 2> computeCapability() const { return capability; }
  const DriverAPI &driverAPI() const { return driver; }

  llvm::Expected<DeviceBuffer> allocate(size_t bytes);
  llvm::Error copyToDevice(DeviceBuffer &dst, const void *src, size_t bytes);
  llvm::Error copyToHost(void *dst, const DeviceBuffer &src, size_t bytes);
  llvm::Error zero(DeviceBuffer &buffer);

  /// Loads the binary the manifest names (a cubin, or PTX for the driver to
  /// JIT) and finds its kernel; sets the kernel's dynamic shared memory limit
  /// to the manifest's `shared_memory_bytes`.
  llvm::Expected<std::unique_ptr<CudaKernel>>
  loadKernel(const KernelManifest &manifest);
  /// The same from an image already in memory; `what` names it in errors.
  /// PTX images must end in a NUL byte.
  llvm::Expected<std::unique_ptr<CudaKernel>>
  loadKernel(const KernelManifest &manifest, llvm::ArrayRef<char> image,
             llvm::StringRef what);

  llvm::Error synchronize();

  /// Runs `launchOnce` `warmup` times, then `iterations` times each between
  /// two events on the default stream; summarizes the event times.
  llvm::Expected<TimingSummary>
  timeLaunches(llvm::function_ref<llvm::Error()> launchOnce, unsigned warmup,
               unsigned iterations);

private:
  friend class CudaKernel;
  CudaContext(const DriverAPI &driver) : driver(driver) {}

  const DriverAPI &driver;
  int device = 0;
  void *primaryContext = nullptr; // CUcontext
  std::string name;
  std::array<int, 2> capability = {0, 0};
};

} // namespace cuda
} // namespace weft
} // namespace mlir

#endif // WEFT_RUNTIME_CUDA_CUDARUNTIME_H
