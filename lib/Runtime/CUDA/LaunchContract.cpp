//===- LaunchContract.cpp - Kernel parameters from user arguments ---------===//
#include "weft/Runtime/CUDA/LaunchContract.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cstring>

using namespace mlir::weft::cuda;
using llvm::ArrayRef;
using llvm::Twine;

static std::string argName(unsigned arg) { return "arg" + std::to_string(arg); }

llvm::SmallVector<int64_t, 4>
mlir::weft::cuda::rowMajorStrides(ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t, 4> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;)
    strides[i - 1] = strides[i] * shape[i];
  return strides;
}

llvm::Error
mlir::weft::cuda::checkBoundArguments(const KernelManifest &manifest,
                                      ArrayRef<BoundArgument> args) {
  if (args.size() != manifest.arguments.size())
    return llvm::createStringError(
        "the kernel takes " + Twine(manifest.arguments.size()) +
        " arguments, " + Twine(args.size()) + " were given");
  for (auto [i, info] : llvm::enumerate(manifest.arguments)) {
    if (!info.isTensor)
      continue;
    const BoundArgument &a = args[i];
    if (a.shape.size() != info.rank)
      return llvm::createStringError(
          argName(i) + ": the kernel takes a rank-" + Twine(info.rank) +
          " tensor, the shape given has rank " + Twine(a.shape.size()));
    for (int64_t d : a.shape)
      if (d < 0)
        return llvm::createStringError(argName(i) + ": negative size " +
                                       Twine(d));
  }
  return llvm::Error::success();
}

std::vector<void *> PackedParams::pointers() {
  std::vector<void *> out;
  out.reserve(slots.size());
  for (uint64_t &slot : slots)
    out.push_back(&slot);
  return out;
}

llvm::Expected<PackedParams>
mlir::weft::cuda::packKernelParams(const KernelManifest &manifest,
                                   ArrayRef<BoundArgument> args,
                                   ArrayRef<uint64_t> tensorMapAddresses) {
  if (llvm::Error e = checkBoundArguments(manifest, args))
    return std::move(e);
  PackedParams packed;
  auto push = [&](uint64_t value, const Twine &name) {
    packed.slots.push_back(value);
    packed.names.push_back(name.str());
  };
  size_t nextTensorMap = 0;
  for (const ManifestParam &p : manifest.params) {
    const BoundArgument &a = args[p.arg];
    std::string name = argName(p.arg);
    switch (p.kind) {
    case ManifestParam::Kind::MemRef: {
      // MLIR's expanded descriptor: allocated and aligned pointer (the same
      // buffer: the runtime allocates aligned), offset 0, sizes, strides.
      push(a.deviceAddress, name + ".allocated");
      push(a.deviceAddress, name + ".aligned");
      push(0, name + ".offset");
      for (auto [d, size] : llvm::enumerate(a.shape))
        push(static_cast<uint64_t>(size), name + ".size[" + Twine(d) + "]");
      for (auto [d, stride] : llvm::enumerate(rowMajorStrides(a.shape)))
        push(static_cast<uint64_t>(stride), name + ".stride[" + Twine(d) + "]");
      break;
    }
    case ManifestParam::Kind::Scalar: {
      uint64_t bits = 0;
      switch (p.scalar) {
      case ScalarType::Index:
      case ScalarType::I64:
        bits = static_cast<uint64_t>(a.intValue);
        break;
      case ScalarType::I32:
        if (a.intValue < INT32_MIN || a.intValue > UINT32_MAX)
          return llvm::createStringError(name + ": " + Twine(a.intValue) +
                                         " does not fit in i32");
        bits = static_cast<uint32_t>(a.intValue);
        break;
      case ScalarType::F32: {
        float f = static_cast<float>(a.floatValue);
        uint32_t u;
        std::memcpy(&u, &f, sizeof(u));
        bits = u;
        break;
      }
      }
      push(bits, name);
      break;
    }
    case ManifestParam::Kind::TensorMap:
      if (nextTensorMap >= tensorMapAddresses.size())
        return llvm::createStringError("no tensor map address for " + name +
                                       " (" + Twine(tensorMapAddresses.size()) +
                                       " given)");
      push(tensorMapAddresses[nextTensorMap++], name + ".tensor_map");
      break;
    }
  }
  if (nextTensorMap != tensorMapAddresses.size())
    return llvm::createStringError(Twine(tensorMapAddresses.size()) +
                                   " tensor map addresses for " +
                                   Twine(nextTensorMap) + " tma params");
  return packed;
}

static unsigned tensorMapDataType(ElementType type) {
  // TMA moves bits; a signed 8/16-bit integer travels as the unsigned type
  // of its width, which has no signed counterpart in CUtensorMapDataType.
  switch (type) {
  case ElementType::F16:
    return TensorMapFloat16;
  case ElementType::BF16:
    return TensorMapBFloat16;
  case ElementType::F32:
    return TensorMapFloat32;
  case ElementType::F64:
    return TensorMapFloat64;
  case ElementType::I8:
  case ElementType::U8:
    return TensorMapUInt8;
  case ElementType::I16:
    return TensorMapUInt16;
  case ElementType::I32:
    return TensorMapInt32;
  case ElementType::I64:
    return TensorMapInt64;
  }
  return TensorMapUInt8;
}

llvm::Expected<TensorMapArgs>
mlir::weft::cuda::computeTensorMapArgs(const ManifestParam &param,
                                       ArrayRef<int64_t> shape) {
  std::string where = argName(param.arg) + " (tma)";
  auto error = [&](const Twine &message) {
    return llvm::createStringError(where + ": " + message);
  };
  if (param.kind != ManifestParam::Kind::TensorMap)
    return error("not a tma param");
  if (shape.size() != param.box.size())
    return error("the box has rank " + Twine(param.box.size()) +
                 ", the tensor rank " + Twine(shape.size()));
  TensorMapArgs out;
  out.rank = shape.size();
  out.dataType = tensorMapDataType(param.element);
  uint64_t elementBytes = elementTypeBytes(param.element);
  // Innermost first: the last row-major dimension is CUDA's dimension 0.
  for (size_t i = shape.size(); i-- > 0;) {
    if (shape[i] < 1 || static_cast<uint64_t>(shape[i]) > (1ull << 32))
      return error("size " + Twine(shape[i]) + " of dimension " + Twine(i) +
                   " is outside [1, 2^32]");
    out.globalDims.push_back(static_cast<uint64_t>(shape[i]));
    out.boxDims.push_back(param.box[i]);
    out.elementStrides.push_back(1);
  }
  uint64_t stride = elementBytes;
  for (unsigned d = 1; d < out.rank; ++d) {
    stride *= out.globalDims[d - 1];
    if (stride % 16 != 0 || stride >= (1ull << 40))
      return error("the byte stride " + Twine(stride) + " of dimension " +
                   Twine(out.rank - 1 - d) +
                   " must be a multiple of 16 below 2^40 (pad the rows)");
    out.globalStridesBytes.push_back(stride);
  }
  uint64_t innerBoxBytes = out.boxDims[0] * elementBytes;
  if (innerBoxBytes % 16 != 0)
    return error("the innermost box dimension spans " + Twine(innerBoxBytes) +
                 " bytes; TMA needs a multiple of 16");
  switch (param.swizzleBytes) {
  case 0:
    out.swizzle = TensorMapSwizzleNone;
    break;
  case 32:
    out.swizzle = TensorMapSwizzle32B;
    break;
  case 64:
    out.swizzle = TensorMapSwizzle64B;
    break;
  case 128:
    out.swizzle = TensorMapSwizzle128B;
    break;
  default:
    return error("swizzle " + Twine(param.swizzleBytes) +
                 " is not 0, 32, 64 or 128");
  }
  if (param.swizzleBytes && innerBoxBytes > param.swizzleBytes)
    return error("the innermost box dimension spans " + Twine(innerBoxBytes) +
                 " bytes, more than the " + Twine(param.swizzleBytes) +
                 "-byte swizzle span");
  return out;
}

static const llvm::fltSemantics *floatSemantics(ElementType type) {
  switch (type) {
  case ElementType::F16:
    return &llvm::APFloat::IEEEhalf();
  case ElementType::BF16:
    return &llvm::APFloat::BFloat();
  default:
    return nullptr;
  }
}

void mlir::weft::cuda::encodeFloats(ElementType type, ArrayRef<double> values,
                                    llvm::MutableArrayRef<uint8_t> out) {
  unsigned bytes = elementTypeBytes(type);
  for (auto [i, v] : llvm::enumerate(values)) {
    uint8_t *dst = out.data() + i * bytes;
    if (type == ElementType::F64) {
      std::memcpy(dst, &v, 8);
    } else if (type == ElementType::F32) {
      float f = static_cast<float>(v);
      std::memcpy(dst, &f, 4);
    } else if (const llvm::fltSemantics *sem = floatSemantics(type)) {
      llvm::APFloat f(v);
      bool losesInfo;
      f.convert(*sem, llvm::APFloat::rmNearestTiesToEven, &losesInfo);
      uint16_t bits = static_cast<uint16_t>(f.bitcastToAPInt().getZExtValue());
      std::memcpy(dst, &bits, 2);
    } else {
      int64_t i64 = static_cast<int64_t>(v);
      std::memcpy(dst, &i64, bytes); // little-endian: the low bytes
    }
  }
}

void mlir::weft::cuda::encodeInts(ElementType type, ArrayRef<int64_t> values,
                                  llvm::MutableArrayRef<uint8_t> out) {
  if (isFloatElementType(type)) {
    std::vector<double> asDouble(values.begin(), values.end());
    encodeFloats(type, asDouble, out);
    return;
  }
  unsigned bytes = elementTypeBytes(type);
  for (auto [i, v] : llvm::enumerate(values))
    std::memcpy(out.data() + i * bytes, &v, bytes);
}

void mlir::weft::cuda::decodeInts(ElementType type, ArrayRef<uint8_t> bytes,
                                  llvm::MutableArrayRef<int64_t> out) {
  unsigned width = elementTypeBytes(type);
  for (size_t i = 0; i < out.size(); ++i) {
    const uint8_t *src = bytes.data() + i * width;
    switch (type) {
    case ElementType::I8:
      out[i] = static_cast<int8_t>(src[0]);
      break;
    case ElementType::U8:
      out[i] = src[0];
      break;
    case ElementType::I16: {
      int16_t v;
      std::memcpy(&v, src, 2);
      out[i] = v;
      break;
    }
    case ElementType::I32: {
      int32_t v;
      std::memcpy(&v, src, 4);
      out[i] = v;
      break;
    }
    default: {
      int64_t v;
      std::memcpy(&v, src, 8);
      out[i] = v;
      break;
    }
    }
  }
}

void mlir::weft::cuda::decodeFloats(ElementType type, ArrayRef<uint8_t> bytes,
                                    llvm::MutableArrayRef<double> out) {
  if (!isFloatElementType(type)) {
    std::vector<int64_t> ints(out.size());
    decodeInts(type, bytes, ints);
    llvm::copy(ints, out.begin());
    return;
  }
  unsigned width = elementTypeBytes(type);
  for (size_t i = 0; i < out.size(); ++i) {
    const uint8_t *src = bytes.data() + i * width;
    if (type == ElementType::F64) {
      std::memcpy(&out[i], src, 8);
    } else if (type == ElementType::F32) {
      float f;
      std::memcpy(&f, src, 4);
      out[i] = f;
    } else {
      uint16_t bits;
      std::memcpy(&bits, src, 2);
      out[i] = llvm::APFloat(*floatSemantics(type), llvm::APInt(16, bits))
                   .convertToDouble();
    }
  }
}

TimingSummary mlir::weft::cuda::summarizeTimings(ArrayRef<float> milliseconds) {
  TimingSummary summary;
  summary.iterations = milliseconds.size();
  if (milliseconds.empty())
    return summary;
  std::vector<float> sorted(milliseconds.begin(), milliseconds.end());
  llvm::sort(sorted);
  size_t n = sorted.size();
  summary.medianMs =
      n % 2 ? sorted[n / 2] : (double(sorted[n / 2 - 1]) + sorted[n / 2]) / 2;
  summary.minMs = sorted.front();
  summary.maxMs = sorted.back();
  return summary;
}

llvm::Expected<std::array<unsigned, 3>>
mlir::weft::cuda::parseGrid(llvm::StringRef text) {
  std::array<unsigned, 3> grid = {1, 1, 1};
  llvm::SmallVector<llvm::StringRef> parts;
  text.split(parts, ',');
  if (parts.size() > 3)
    return llvm::createStringError("--grid takes at most three sizes, got '" +
                                   text + "'");
  for (auto [i, p] : llvm::enumerate(parts)) {
    uint64_t v;
    if (p.trim().getAsInteger(10, v) || v == 0 || v >= (1ull << 31))
      return llvm::createStringError("--grid: '" + p +
                                     "' is not a size in [1, 2^31)");
    grid[i] = static_cast<unsigned>(v);
  }
  return grid;
}
