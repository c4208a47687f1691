//===- HipRuntime.h - Launches Weft code objects with HIP -------*- C++ -*-===//
//
// Loads an HSA code object (.hsaco) written by weft-compile / weft-translate
// --export-hsaco, binds arguments by its launch manifest (the same JSON
// contract as the CUDA runtime's, read by weft/Runtime/CUDA/KernelManifest.h;
// AMD kernels have no tensor-map parameters) and launches it with the HIP
// module API. Built only where a ROCm install is found (WEFT_ENABLE_ROCM);
// no machine this project's CI runs on has one, so this code is compiled and
// tested only there (tests: REQUIRES: rocm-gpu).
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_RUNTIME_HIP_HIPRUNTIME_H
#define WEFT_RUNTIME_HIP_HIPRUNTIME_H

#include "weft/Runtime/CUDA/KernelManifest.h"
#include "weft/Runtime/CUDA/LaunchContract.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <memory>

namespace mlir::weft::hip {

/// Device memory; freed on destruction.
class DeviceBuffer {
public:
  static llvm::Expected<DeviceBuffer> allocate(size_t bytes);
  DeviceBuffer(DeviceBuffer &&other) noexcept;
  DeviceBuffer &operator=(DeviceBuffer &&other) noexcept;
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
  ~DeviceBuffer();

  uint64_t address() const { return reinterpret_cast<uint64_t>(pointer); }
  size_t size() const { return bytes; }
  llvm::Error copyFromHost(const void *data, size_t count);
  llvm::Error copyToHost(void *data, size_t count) const;

private:
  DeviceBuffer() = default;
  void *pointer = nullptr;
  size_t bytes = 0;
};

/// A loaded code object and its kernel.
class HipKernel {
public:
  /// Reads `hsacoPath` and its manifest (`<hsacoPath>.json`), loads the
  /// module on the current device and looks the kernel up.
  static llvm::Expected<std::unique_ptr<HipKernel>> load(llvm::StringRef hsacoPath);
  ~HipKernel();

  const cuda::KernelManifest &manifest() const { return kernelManifest; }

  /// Packs `args` by the manifest, launches on the null stream with the
  /// manifest's block (grid: the manifest's, or `grid` when it has none) and
  /// waits; returns the kernel time in milliseconds (HIP events).
  llvm::Expected<float> launch(llvm::ArrayRef<cuda::BoundArgument> args,
                               std::array<unsigned, 3> grid = {0, 0, 0});

private:
  HipKernel() = default;
  cuda::KernelManifest kernelManifest;
  void *module = nullptr;   // hipModule_t
  void *function = nullptr; // hipFunction_t
};

} // namespace mlir::weft::hip

#endif // WEFT_RUNTIME_HIP_HIPRUNTIME_H
