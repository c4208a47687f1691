//===- LaunchContract.h - Kernel parameters from user arguments -*- C++ -*-===//
//
// The pure half of launching a Weft kernel: how user-level arguments become
// the kernel's parameter buffer (expanded memref descriptors, scalars, tensor
// map addresses), the arguments of cuTensorMapEncodeTiled for a `tma` param,
// element conversions between host values and device bytes, and the summary
// of a series of timings. No CUDA here: the values of the CUDA enums are
// spelled out below and checked against cuda.h where the driver is used.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_RUNTIME_CUDA_LAUNCHCONTRACT_H
#define WEFT_RUNTIME_CUDA_LAUNCHCONTRACT_H

#include "weft/Runtime/CUDA/KernelManifest.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace mlir {
namespace weft {
namespace cuda {

/// The value the user gives for one argument.
struct BoundArgument {
  /// Tensors: device address of the dense row-major data and its shape.
  uint64_t deviceAddress = 0;
  llvm::SmallVector<int64_t, 4> shape;
  /// Scalars: the value (integers in `intValue`, f32 in `floatValue`).
  int64_t intValue = 0;
  double floatValue = 0;
};

/// Row-major strides (in elements) of a dense tensor of `shape`.
llvm::SmallVector<int64_t, 4> rowMajorStrides(llvm::ArrayRef<int64_t> shape);

/// Checks `args` against the manifest's arguments (count, tensor ranks,
/// non-negative sizes); errors name the argument.
llvm::Error checkBoundArguments(const KernelManifest &manifest,
                                llvm::ArrayRef<BoundArgument> args);

/// The kernel parameter buffer: one 8-byte slot per kernel parameter (32-bit
/// values in the low bytes: the host and every CUDA GPU are little-endian),
/// in kernel parameter order. cuLaunchKernel reads each parameter's size from
/// the kernel, so an 8-byte slot serves any parameter of at most 8 bytes.
struct PackedParams {
  std::vector<uint64_t> slots;
  /// What each slot holds, e.g. "arg2.size[1]"; for messages and tests.
  std::vector<std::string> names;
  /// The `void **kernelParams` of cuLaunchKernel; valid while `slots` lives.
  std::vector<void *> pointers();
};

/// Packs the parameters of `manifest` from `args`; `tensorMapAddresses` has
/// one device address per `tma` param, in param order.
llvm::Expected<PackedParams>
packKernelParams(const KernelManifest &manifest,
                 llvm::ArrayRef<BoundArgument> args,
                 llvm::ArrayRef<uint64_t> tensorMapAddresses);

/// CUtensorMapDataType / CUtensorMapSwizzle / ... values (cuda.h, CUDA 12+).
enum TensorMapDataType : unsigned {
  TensorMapUInt8 = 0,
  TensorMapUInt16 = 1,
  TensorMapUInt32 = 2,
  TensorMapInt32 = 3,
  TensorMapUInt64 = 4,
  TensorMapInt64 = 5,
  TensorMapFloat16 = 6,
  TensorMapFloat32 = 7,
  TensorMapFloat64 = 8,
  TensorMapBFloat16 = 9,
};
enum TensorMapSwizzle : unsigned {
  TensorMapSwizzleNone = 0,
  TensorMapSwizzle32B = 1,
  TensorMapSwizzle64B = 2,
  TensorMapSwizzle128B = 3,
};
enum : unsigned {
  TensorMapInterleaveNone = 0,
  TensorMapL2Promotion128B = 2,
  TensorMapOobFillNone = 0,
};

/// Size and alignment of a CUtensorMap.
constexpr unsigned kTensorMapBytes = 128;
constexpr unsigned kTensorMapAlignment = 64;

/// The arguments of cuTensorMapEncodeTiled (all but the global address) for
/// a `tma` param over a row-major tensor of `shape`: everything innermost
/// dimension first.
struct TensorMapArgs {
  unsigned dataType = 0;
  unsigned rank = 0;
  llvm::SmallVector<uint64_t, 5> globalDims;
  /// Byte strides of dimensions 1..rank-1 (dimension 0 is contiguous).
  llvm::SmallVector<uint64_t, 4> globalStridesBytes;
  llvm::SmallVector<uint32_t, 5> boxDims;
  llvm::SmallVector<uint32_t, 5> elementStrides;
  unsigned interleave = TensorMapInterleaveNone;
  unsigned swizzle = TensorMapSwizzleNone;
  unsigned l2Promotion = TensorMapL2Promotion128B;
  unsigned oobFill = TensorMapOobFillNone;
};

/// Computes and checks (against the limits cuTensorMapEncodeTiled documents)
/// the tensor map of `param` over a tensor of `shape`.
llvm::Expected<TensorMapArgs>
computeTensorMapArgs(const ManifestParam &param, llvm::ArrayRef<int64_t> shape);

/// Host values to device bytes of `type`: floats rounded to nearest even,
/// integers truncated to the width. `out` holds values.size() elements.
void encodeFloats(ElementType type, llvm::ArrayRef<double> values,
                  llvm::MutableArrayRef<uint8_t> out);
void encodeInts(ElementType type, llvm::ArrayRef<int64_t> values,
                llvm::MutableArrayRef<uint8_t> out);
/// Device bytes of `type` to host values (integers sign-extended, U8 zero-
/// extended).
void decodeFloats(ElementType type, llvm::ArrayRef<uint8_t> bytes,
                  llvm::MutableArrayRef<double> out);
void decodeInts(ElementType type, llvm::ArrayRef<uint8_t> bytes,
                llvm::MutableArrayRef<int64_t> out);

/// Median, minimum and maximum of a series of kernel times.
struct TimingSummary {
  double medianMs = 0, minMs = 0, maxMs = 0;
  unsigned iterations = 0;
};
TimingSummary summarizeTimings(llvm::ArrayRef<float> milliseconds);

/// Launch grid from "X[,Y[,Z]]" (positive, each below 2^31).
llvm::Expected<std::array<unsigned, 3>> parseGrid(llvm::StringRef text);

} // namespace cuda
} // namespace weft
} // namespace mlir

#endif // WEFT_RUNTIME_CUDA_LAUNCHCONTRACT_H
