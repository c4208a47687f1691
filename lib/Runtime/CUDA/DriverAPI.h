//===- DriverAPI.h - The CUDA driver functions Weft uses --------*- C++ -*-===//
//
// Function pointers into libcuda.so.1, resolved at run time with
// cuGetProcAddress at the CUDA_VERSION of the headers this is built with, so
// that each entry point has the ABI its cuda.h prototype describes (the
// versioned symbols, e.g. cuMemAlloc_v2, are the driver's business).
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_LIB_RUNTIME_CUDA_DRIVERAPI_H
#define WEFT_LIB_RUNTIME_CUDA_DRIVERAPI_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <cuda.h>

namespace mlir {
namespace weft {
namespace cuda {

// X(name): every driver entry point the runtime calls.
#define WEFT_CUDA_DRIVER_FUNCTIONS(X)                                          \
  X(cuInit)                                                                    \
  X(cuDeviceGetCount)                                                          \
  X(cuDeviceGet)                                                               \
  X(cuDeviceGetName)                                                           \
  X(cuDeviceGetAttribute)                                                      \
  X(cuDevicePrimaryCtxRetain)                                                  \
  X(cuDevicePrimaryCtxRelease)                                                 \
  X(cuCtxSetCurrent)                                                           \
  X(cuCtxSynchronize)                                                          \
  X(cuMemAlloc)                                                                \
  X(cuMemFree)                                                                 \
  X(cuMemcpyHtoD)                                                              \
  X(cuMemcpyDtoH)                                                              \
  X(cuMemsetD8)                                                                \
  X(cuModuleLoadDataEx)                                                        \
  X(cuModuleUnload)                                                            \
  X(cuModuleGetFunction)                                                       \
  X(cuFuncSetAttribute)                                                        \
  X(cuLaunchKernel)                                                            \
  X(cuEventCreate)                                                             \
  X(cuEventRecord)                                                             \
  X(cuEventSynchronize)                                                        \
  X(cuEventElapsedTime)                                                        \
  X(cuEventDestroy)                                                            \
  X(cuTensorMapEncodeTiled)

struct DriverAPI {
#define WEFT_DECLARE_POINTER(name) decltype(&::name) name = nullptr;
  WEFT_CUDA_DRIVER_FUNCTIONS(WEFT_DECLARE_POINTER)
#undef WEFT_DECLARE_POINTER
  // Resolved with dlsym: they explain the failures of everything else,
  // including of cuGetProcAddress.
  decltype(&::cuGetErrorName) getErrorName = nullptr;
  decltype(&::cuGetErrorString) getErrorString = nullptr;

  /// "CUDA_ERROR_X (description)" for `result`.
  std::string describe(CUresult result) const;
  /// Success, or an error "<call>: CUDA_ERROR_X (description)".
  llvm::Error check(CUresult result, const llvm::Twine &call) const;
};

/// Opens the driver once per process (libcuda.so.1, or the file
/// $WEFT_CUDA_DRIVER names), resolves every function and runs cuInit.
llvm::Expected<const DriverAPI &> loadDriverAPI();

} // namespace cuda
} // namespace weft
} // namespace mlir

#endif // WEFT_LIB_RUNTIME_CUDA_DRIVERAPI_H
