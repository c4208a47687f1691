//===- HostArray.cpp - host arrays, rounding, .npy files -----------------===//
#include "weft/Interpreter/Interpreter.h"
#include "weft/Support/Npy.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace mlir;
using namespace mlir::weft::interp;

HostArray::HostArray(Type elementType, ArrayRef<int64_t> shape)
    : elementType(elementType), shape(shape) {
  if (isFloat())
    floats.assign(numElements(), 0.0);
  else
    ints.assign(numElements(), 0);
}

bool HostArray::isFloat() const { return isa<FloatType>(elementType); }

int64_t HostArray::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

double HostArray::getDouble(int64_t i) const {
  if (isFloat())
    return floats[i];
  if (elementType.isUnsignedInteger(64))
    return static_cast<double>(static_cast<uint64_t>(ints[i]));
  return static_cast<double>(ints[i]);
}

double weft::interp::roundToFloatType(double value, Type type) {
  auto floatType = dyn_cast<FloatType>(type);
  if (!floatType || floatType.isF64())
    return value;
  if (floatType.isF32())
    return static_cast<double>(static_cast<float>(value));
  if (std::isnan(value))
    return value;
  // bf16 from a value that is exactly an f32: round the f32's bits.
  if (floatType.isBF16()) {
    float asFloat = static_cast<float>(value);
    if (static_cast<double>(asFloat) == value) {
      uint32_t bits;
      std::memcpy(&bits, &asFloat, 4);
      bits += 0x7fff + ((bits >> 16) & 1);
      bits &= 0xffff0000u;
      std::memcpy(&asFloat, &bits, 4);
      return asFloat;
    }
  }
  llvm::APFloat apValue(value);
  bool losesInfo = false;
  apValue.convert(floatType.getFloatSemantics(),
                  llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  apValue.convert(llvm::APFloat::IEEEdouble(),
                  llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return apValue.convertToDouble();
}

int64_t weft::interp::normalizeInt(int64_t value, Type type) {
  unsigned width = type.isIndex() ? 64 : type.getIntOrFloatBitWidth();
  if (width >= 64 || width == 0)
    return value;
  uint64_t mask = (uint64_t(1) << width) - 1;
  uint64_t bits = static_cast<uint64_t>(value) & mask;
  if (width == 1 || type.isUnsignedInteger())
    return static_cast<int64_t>(bits);
  uint64_t sign = uint64_t(1) << (width - 1);
  return static_cast<int64_t>((bits ^ sign) - sign);
}

void weft::interp::fillRandom(HostArray &array, uint64_t seed) {
  std::mt19937_64 rng(seed);
  if (array.isFloat()) {
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    for (double &v : array.floats)
      v = roundToFloatType(dist(rng), array.elementType);
    return;
  }
  Type type = array.elementType;
  unsigned width = type.isIndex() ? 64 : type.getIntOrFloatBitWidth();
  int64_t lo = -16, hi = 16;
  if (width == 1) {
    lo = 0;
    hi = 1;
  } else if (width <= 8) {
    if (type.isUnsignedInteger()) {
      lo = 0;
      hi = (int64_t(1) << width) - 1;
    } else {
      lo = -(int64_t(1) << (width - 1));
      hi = (int64_t(1) << (width - 1)) - 1;
    }
  } else if (type.isUnsignedInteger()) {
    lo = 0;
  }
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  for (int64_t &v : array.ints)
    v = normalizeInt(dist(rng), type);
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

namespace {
/// The numpy scalar kind of a descr: 'f', 'i', 'u' or 'b', and its size.
struct NpyDescr {
  char kind = 0;
  unsigned bytes = 0;
};
} // namespace

static std::string parseDescr(StringRef descr, NpyDescr &out) {
  descr = descr.trim().trim("'\"");
  if (descr.size() < 2)
    return "unsupported dtype '" + descr.str() + "'";
  char order = descr[0];
  if (order == '>')
    return "big-endian .npy data is not supported";
  if (order == '<' || order == '|' || order == '=')
    descr = descr.drop_front();
  if (descr.empty())
    return "unsupported dtype";
  out.kind = descr[0];
  if (descr.drop_front().getAsInteger(10, out.bytes))
    return "unsupported dtype '" + descr.str() + "'";
  bool ok = false;
  switch (out.kind) {
  case 'f':
    ok = out.bytes == 2 || out.bytes == 4 || out.bytes == 8;
    break;
  case 'i':
  case 'u':
    ok = out.bytes == 1 || out.bytes == 2 || out.bytes == 4 || out.bytes == 8;
    break;
  case 'b':
    ok = out.bytes == 1;
    break;
  default:
    break;
  }
  if (!ok)
    return "unsupported dtype '" + descr.str() + "'";
  return "";
}

/// Finds `'key': value` in a numpy header dict and returns the value text.
static StringRef headerValue(StringRef header, StringRef key) {
  size_t pos = header.find(("'" + key + "'").str());
  if (pos == StringRef::npos)
    return "";
  StringRef rest = header.drop_front(pos + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return "";
  rest = rest.ltrim();
  if (rest.starts_with("(")) {
    size_t end = rest.find(')');
    return end == StringRef::npos ? "" : rest.take_front(end + 1);
  }
  size_t end = rest.find_first_of(",}");
  return end == StringRef::npos ? rest : rest.take_front(end).trim();
}

static double halfBitsToDouble(uint16_t bits) {
  llvm::APFloat value(llvm::APFloat::IEEEhalf(), llvm::APInt(16, bits));
  bool losesInfo = false;
  value.convert(llvm::APFloat::IEEEdouble(),
                llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return value.convertToDouble();
}

std::string weft::interp::readNpy(StringRef path, Type elementType,
                                  HostArray &array) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!file)
    return "cannot open '" + path.str() + "': " + file.getError().message();
  StringRef data = (*file)->getBuffer();
  if (data.size() < 10 || !data.starts_with("\x93NUMPY"))
    return "'" + path.str() + "' is not a .npy file";
  unsigned major = static_cast<unsigned char>(data[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(data[8]) |
                (static_cast<unsigned char>(data[9]) << 8);
    headerStart = 10;
  } else {
    if (data.size() < 12)
      return "'" + path.str() + "' is truncated";
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = (headerLen << 8) | static_cast<unsigned char>(data[8 + i]);
    headerStart = 12;
  }
  if (headerStart + headerLen > data.size())
    return "'" + path.str() + "' is truncated";
  StringRef header = data.substr(headerStart, headerLen);
  StringRef payload = data.drop_front(headerStart + headerLen);

  NpyDescr descr;
  std::string err = parseDescr(headerValue(header, "descr"), descr);
  if (!err.empty())
    return "'" + path.str() + "': " + err;
  if (headerValue(header, "fortran_order") != "False")
    return "'" + path.str() + "': only C-order arrays are supported";
  StringRef shapeText = headerValue(header, "shape").trim("() ");
  SmallVector<int64_t> shape;
  SmallVector<StringRef> dims;
  shapeText.split(dims, ',', -1, /*KeepEmpty=*/false);
  for (StringRef dim : dims) {
    int64_t size;
    if (dim.trim().getAsInteger(10, size) || size < 0)
      return "'" + path.str() + "': malformed shape";
    shape.push_back(size);
  }
  array = HostArray(elementType, shape);
  int64_t n = array.numElements();
  if (payload.size() < static_cast<size_t>(n) * descr.bytes)
    return "'" + path.str() + "': file holds fewer elements than its shape";

  const char *p = payload.data();
  for (int64_t i = 0; i < n; ++i, p += descr.bytes) {
    uint64_t raw = 0;
    std::memcpy(&raw, p, descr.bytes); // little-endian host
    double asDouble = 0;
    int64_t asInt = 0;
    bool isFloat = descr.kind == 'f';
    if (descr.kind == 'f') {
      if (descr.bytes == 2) {
        asDouble = halfBitsToDouble(static_cast<uint16_t>(raw));
      } else if (descr.bytes == 4) {
        float f;
        std::memcpy(&f, &raw, 4);
        asDouble = f;
      } else {
        std::memcpy(&asDouble, &raw, 8);
      }
    } else if (descr.kind == 'u' || descr.kind == 'b') {
      asInt = static_cast<int64_t>(raw);
    } else {
      unsigned bits = descr.bytes * 8;
      asInt = bits == 64 ? static_cast<int64_t>(raw)
                         : static_cast<int64_t>(raw << (64 - bits)) >>
                               (64 - bits);
    }
    if (array.isFloat()) {
      array.floats[i] = roundToFloatType(
          isFloat ? asDouble : static_cast<double>(asInt), elementType);
    } else {
      if (isFloat) {
        if (!std::isfinite(asDouble) || std::fabs(asDouble) > 9.0e18)
          return "'" + path.str() + "': float value out of the integer range";
        asInt = static_cast<int64_t>(asDouble);
      }
      array.ints[i] = normalizeInt(asInt, elementType);
    }
  }
  return "";
}

std::string weft::interp::writeNpy(StringRef path, const HostArray &array) {
  Type type = array.elementType;
  std::string descr;
  unsigned bytes;
  if (array.isFloat()) {
    if (type.isF64()) {
      descr = "<f8";
      bytes = 8;
    } else if (type.isF16()) {
      descr = "<f2";
      bytes = 2;
    } else {
      descr = "<f4";
      bytes = 4;
    }
  } else {
    unsigned width = type.isIndex() ? 64 : type.getIntOrFloatBitWidth();
    bytes = width <= 8 ? 1 : width <= 16 ? 2 : width <= 32 ? 4 : 8;
    if (width == 1)
      descr = "|b1";
    else
      descr = (bytes == 1 ? "|" : "<") +
              std::string(type.isUnsignedInteger() ? "u" : "i") +
              std::to_string(bytes);
  }
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return "cannot write '" + path.str() + "': " + ec.message();
  mlir::weft::writeNpyHeader(os, descr, array.shape);
  int64_t n = array.numElements();
  for (int64_t i = 0; i < n; ++i) {
    char buf[8];
    if (array.isFloat()) {
      double v = array.floats[i];
      if (bytes == 8) {
        std::memcpy(buf, &v, 8);
      } else if (bytes == 4) {
        float f = static_cast<float>(v);
        std::memcpy(buf, &f, 4);
      } else {
        llvm::APFloat half(v);
        bool losesInfo = false;
        half.convert(llvm::APFloat::IEEEhalf(),
                     llvm::APFloat::rmNearestTiesToEven, &losesInfo);
        uint16_t bits =
            static_cast<uint16_t>(half.bitcastToAPInt().getZExtValue());
        std::memcpy(buf, &bits, 2);
      }
    } else {
      int64_t v = array.ints[i];
      std::memcpy(buf, &v, bytes); // little-endian host
    }
    os.write(buf, bytes);
  }
  return "";
}
