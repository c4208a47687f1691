//===- CPURuntime.cpp - runs models compiled for the host CPU -------------===//
#include "weft/Runtime/CPURuntime.h"
#include "weft/Support/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include "onnx/onnx_pb.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir::weft::runtime;
using llvm::SmallVector;
using llvm::StringRef;

static llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

unsigned mlir::weft::runtime::dtypeBytes(StringRef dtype) {
  return llvm::StringSwitch<unsigned>(dtype)
      .Cases({"|b1", "|i1", "|u1"}, 1)
      .Cases({"<f2", "bf16", "<i2", "<u2"}, 2)
      .Cases({"<f4", "<i4", "<u4"}, 4)
      .Cases({"<f8", "<i8", "<u8"}, 8)
      .Default(0);
}

int64_t HostTensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

static float halfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exponent = (h >> 10) & 0x1f,
           mantissa = h & 0x3ff;
  float magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  else if (exponent == 31)
    magnitude = mantissa ? std::numeric_limits<float>::quiet_NaN()
                         : std::numeric_limits<float>::infinity();
  else
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
  return sign ? -magnitude : magnitude;
}

double HostTensor::at(int64_t i) const {
  const char *p = data.data() + i * dtypeBytes(dtype);
  auto load = [&](auto value) {
    std::memcpy(&value, p, sizeof(value));
    return value;
  };
  if (dtype == "<f4")
    return load(float());
  if (dtype == "<f8")
    return load(double());
  if (dtype == "<f2")
    return halfToFloat(load(uint16_t()));
  if (dtype == "bf16") {
    uint32_t bits = static_cast<uint32_t>(load(uint16_t())) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  if (dtype == "|b1")
    return load(uint8_t()) != 0;
  if (dtype == "|i1")
    return load(int8_t());
  if (dtype == "|u1")
    return load(uint8_t());
  if (dtype == "<i2")
    return load(int16_t());
  if (dtype == "<u2")
    return load(uint16_t());
  if (dtype == "<i4")
    return load(int32_t());
  if (dtype == "<u4")
    return load(uint32_t());
  if (dtype == "<i8")
    return static_cast<double>(load(int64_t()));
  if (dtype == "<u8")
    return static_cast<double>(load(uint64_t()));
  return std::numeric_limits<double>::quiet_NaN();
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

/// The value of `'key': ...` in a .npy header dictionary.
static StringRef headerField(StringRef header, StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == StringRef::npos)
    return {};
  StringRef rest = header.drop_front(at + key.size() + 2).ltrim(" :");
  if (rest.starts_with("'"))
    return rest.drop_front().take_until([](char c) { return c == '\''; });
  if (rest.starts_with("("))
    return rest.drop_front().take_until([](char c) { return c == ')'; });
  return rest.take_until([](char c) { return c == ',' || c == '}'; });
}

llvm::Expected<HostTensor> mlir::weft::runtime::readNpy(StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!file)
    return error("cannot read " + path + ": " + file.getError().message());
  StringRef bytes = (*file)->getBuffer();
  if (bytes.size() < 10 || !bytes.starts_with("\x93NUMPY"))
    return error(path + " is not a .npy file");
  uint8_t major = bytes[6];
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = static_cast<uint8_t>(bytes[8]) |
                   static_cast<uint8_t>(bytes[9]) << 8;
    headerStart = 10;
  } else {
    if (bytes.size() < 12)
      return error(path + " is truncated");
    headerLength = 0;
    for (int i = 3; i >= 0; --i)
      headerLength = headerLength << 8 | static_cast<uint8_t>(bytes[8 + i]);
    headerStart = 12;
  }
  if (bytes.size() < headerStart + headerLength)
    return error(path + " is truncated");
  StringRef header = bytes.substr(headerStart, headerLength);
  HostTensor tensor;
  std::string descr = headerField(header, "descr").str();
  if (descr.size() == 3 && (descr[0] == '=' || descr[0] == '<'))
    descr[0] = descr[2] == '1' ? '|' : '<';
  if (descr == "|i1" || descr == "|u1" || descr == "|b1" ||
      dtypeBytes(descr) > 1)
    tensor.dtype = descr;
  if (tensor.dtype.empty())
    return error(path + ": unsupported dtype '" + descr + "'");
  if (headerField(header, "fortran_order").trim() != "False")
    return error(path + ": Fortran order is not supported");
  SmallVector<StringRef> dims;
  headerField(header, "shape").split(dims, ',', -1, /*KeepEmpty=*/false);
  for (StringRef d : dims) {
    int64_t v;
    if (d.trim().empty())
      continue;
    if (d.trim().getAsInteger(10, v))
      return error(path + ": malformed shape");
    tensor.shape.push_back(v);
  }
  size_t size = tensor.numElements() * dtypeBytes(tensor.dtype);
  StringRef payload = bytes.drop_front(headerStart + headerLength);
  if (payload.size() < size)
    return error(path + ": data is shorter than the shape says");
  tensor.data.assign(payload.begin(), payload.begin() + size);
  return tensor;
}

llvm::Error mlir::weft::runtime::writeNpy(StringRef path,
                                          const HostTensor &tensor) {
  HostTensor out = tensor;
  if (tensor.dtype == "bf16") {
    out.dtype = "<f4";
    out.data.resize(tensor.numElements() * 4);
    for (int64_t i = 0, n = tensor.numElements(); i < n; ++i) {
      float f = static_cast<float>(tensor.at(i));
      std::memcpy(out.data.data() + 4 * i, &f, 4);
    }
  }
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return error("cannot write " + path + ": " + ec.message());
  mlir::weft::writeNpyHeader(os, out.dtype, out.shape);
  os.write(out.data.data(), out.data.size());
  return llvm::Error::success();
}

llvm::Expected<HostTensor>
mlir::weft::runtime::readTensorProto(StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!file)
    return error("cannot read " + path + ": " + file.getError().message());
  onnx::TensorProto proto;
  if (!proto.ParseFromArray((*file)->getBufferStart(),
                            static_cast<int>((*file)->getBufferSize())))
    return error(path + " is not an ONNX TensorProto");
  HostTensor tensor;
  using TP = onnx::TensorProto;
  switch (proto.data_type()) {
  case TP::FLOAT: tensor.dtype = "<f4"; break;
  case TP::DOUBLE: tensor.dtype = "<f8"; break;
  case TP::FLOAT16: tensor.dtype = "<f2"; break;
  case TP::BFLOAT16: tensor.dtype = "bf16"; break;
  case TP::BOOL: tensor.dtype = "|b1"; break;
  case TP::INT8: tensor.dtype = "|i1"; break;
  case TP::UINT8: tensor.dtype = "|u1"; break;
  case TP::INT16: tensor.dtype = "<i2"; break;
  case TP::UINT16: tensor.dtype = "<u2"; break;
  case TP::INT32: tensor.dtype = "<i4"; break;
  case TP::UINT32: tensor.dtype = "<u4"; break;
  case TP::INT64: tensor.dtype = "<i8"; break;
  case TP::UINT64: tensor.dtype = "<u8"; break;
  default:
    return error(path + ": unsupported TensorProto data type " +
                 llvm::Twine(proto.data_type()));
  }
  for (int64_t d : proto.dims())
    tensor.shape.push_back(d);
  int64_t n = tensor.numElements();
  unsigned bytes = dtypeBytes(tensor.dtype);
  tensor.data.resize(n * bytes);
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != tensor.data.size())
      return error(path + ": raw data size does not match the shape");
    // An empty tensor (a zero dimension) has no storage to copy into.
    if (!tensor.data.empty())
      std::memcpy(tensor.data.data(), proto.raw_data().data(),
                  tensor.data.size());
    return tensor;
  }
  // Typed fields: narrow integers, bool and 16-bit floats (as bits) live in
  // int32_data.
  // Little-endian: the low `bytes` bytes of a wider field value are the
  // element (an int32_data entry holding a uint8 or f16 bits, say).
  auto copy = [&](const auto &field) -> llvm::Error {
    if (field.size() != n)
      return error(path + ": " + llvm::Twine(field.size()) +
                   " values for a shape of " + llvm::Twine(n) + " elements");
    for (int64_t i = 0; i < n; ++i) {
      auto value = field.Get(i);
      std::memcpy(tensor.data.data() + i * bytes, &value, bytes);
    }
    return llvm::Error::success();
  };
  llvm::Error copied = llvm::Error::success();
  switch (proto.data_type()) {
  case TP::FLOAT:
    copied = copy(proto.float_data());
    break;
  case TP::DOUBLE:
    copied = copy(proto.double_data());
    break;
  case TP::INT64:
    copied = copy(proto.int64_data());
    break;
  case TP::UINT32:
  case TP::UINT64:
    copied = copy(proto.uint64_data());
    break;
  default:
    // Narrow integers, bool and 16-bit floats (as bits) live in int32_data.
    copied = copy(proto.int32_data());
    break;
  }
  if (copied)
    return std::move(copied);
  return tensor;
}

llvm::Expected<HostTensor>
mlir::weft::runtime::readTensorFile(StringRef path) {
  return path.ends_with(".pb") ? readTensorProto(path) : readNpy(path);
}

//===----------------------------------------------------------------------===//
// Models
//===----------------------------------------------------------------------===//

llvm::Expected<std::vector<ModelBuffer>>
mlir::weft::runtime::parseSignature(StringRef text) {
  std::vector<ModelBuffer> buffers;
  SmallVector<StringRef> lines;
  text.split(lines, '\n', -1, /*KeepEmpty=*/false);
  for (StringRef line : lines) {
    SmallVector<StringRef> fields;
    line.split(fields, ' ', 3);
    if (fields.size() < 3 || (fields[0] != "in" && fields[0] != "out") ||
        !dtypeBytes(fields[1]))
      return error("malformed model signature line '" + line + "'");
    ModelBuffer buffer;
    buffer.isOutput = fields[0] == "out";
    buffer.dtype = fields[1].str();
    if (fields[2] != "scalar") {
      SmallVector<StringRef> dims;
      fields[2].split(dims, 'x');
      for (StringRef d : dims) {
        int64_t v;
        if (d.getAsInteger(10, v))
          return error("malformed shape in model signature line '" + line +
                       "'");
        buffer.shape.push_back(v);
      }
    }
    buffer.name = fields.size() > 3 ? fields[3].str() : "";
    buffers.push_back(buffer);
  }
  return buffers;
}

struct CPUModel::Impl {
  std::unique_ptr<llvm::orc::LLJIT> jit;
};

CPUModel::~CPUModel() = default;

llvm::Expected<std::unique_ptr<CPUModel>>
CPUModel::load(StringRef objectPath) {
  auto object = llvm::MemoryBuffer::getFile(objectPath, /*IsText=*/false);
  if (!object)
    return error("cannot read " + objectPath + ": " +
                 object.getError().message());
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto jit = llvm::orc::LLJITBuilder().create();
  if (!jit)
    return jit.takeError();
  // The model calls libm (erff, tanhf, ...) and malloc / free.
  auto generator =
      llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
          (*jit)->getDataLayout().getGlobalPrefix());
  if (!generator)
    return generator.takeError();
  (*jit)->getMainJITDylib().addGenerator(std::move(*generator));
  if (auto err = (*jit)->addObjectFile(std::move(*object)))
    return std::move(err);
  auto entry = (*jit)->lookup("weft_model_run");
  if (!entry)
    return entry.takeError();
  auto signature = (*jit)->lookup("weft_model_signature");
  if (!signature)
    return signature.takeError();
  auto buffers = parseSignature(signature->toPtr<const char *>());
  if (!buffers)
    return buffers.takeError();
  std::unique_ptr<CPUModel> model(new CPUModel());
  model->impl = std::make_unique<Impl>();
  model->entry = entry->toPtr<void (*)(void **)>();
  model->impl->jit = std::move(*jit);
  model->signature = std::move(*buffers);
  return model;
}

static std::string shapeString(const std::vector<int64_t> &shape) {
  SmallVector<std::string> dims;
  for (int64_t d : shape)
    dims.push_back(std::to_string(d));
  return "[" + llvm::join(dims, ", ") + "]";
}

bool mlir::weft::runtime::sameLayout(StringRef have, StringRef want) {
  // ONNX test data stores bfloat16 tensors as their uint16 bits.
  return have == want || (have == "<u2" && want == "bf16");
}

llvm::Error CPUModel::run(const std::vector<HostTensor> &inputs,
                          std::vector<HostTensor> &outputs) {
  std::vector<void *> pointers;
  size_t nextInput = 0;
  outputs.clear();
  for (const ModelBuffer &buffer : signature)
    if (buffer.isOutput) {
      HostTensor out;
      out.dtype = buffer.dtype;
      out.shape = buffer.shape;
      out.data.resize(out.numElements() * dtypeBytes(out.dtype));
      outputs.push_back(std::move(out));
    }
  size_t nextOutput = 0;
  for (const ModelBuffer &buffer : signature) {
    if (buffer.isOutput) {
      pointers.push_back(outputs[nextOutput++].data.data());
      continue;
    }
    if (nextInput >= inputs.size())
      return error("the model takes " + llvm::Twine(signature.size() -
                                                    outputs.size()) +
                   " inputs, got " + llvm::Twine(inputs.size()));
    const HostTensor &in = inputs[nextInput++];
    if (!sameLayout(in.dtype, buffer.dtype) || in.shape != buffer.shape)
      return error("input " + llvm::Twine(nextInput - 1) + " ('" +
                   buffer.name + "') must be " + buffer.dtype + " " +
                   shapeString(buffer.shape) + ", got " + in.dtype + " " +
                   shapeString(in.shape));
    // The model only reads its inputs.
    pointers.push_back(const_cast<char *>(in.data.data()));
  }
  if (nextInput != inputs.size())
    return error("the model takes " + llvm::Twine(nextInput) +
                 " inputs, got " + llvm::Twine(inputs.size()));
  entry(pointers.data());
  return llvm::Error::success();
}

int64_t mlir::weft::runtime::compareTensors(const HostTensor &got,
                                            const HostTensor &want,
                                            double atol, double rtol,
                                            double &maxAbs) {
  maxAbs = 0;
  int64_t bad = 0;
  for (int64_t i = 0, n = got.numElements(); i < n; ++i) {
    double g = got.at(i), w = want.at(i);
    if (std::isnan(g) && std::isnan(w))
      continue;
    if (std::isinf(w) && g == w)
      continue;
    double err = std::fabs(g - w);
    if (!(err <= atol + rtol * std::fabs(w)))
      ++bad;
    if (std::isfinite(err))
      maxAbs = std::max(maxAbs, err);
    else
      maxAbs = std::numeric_limits<double>::infinity();
  }
  return bad;
}
