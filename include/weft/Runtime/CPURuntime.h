//===- CPURuntime.h - runs models compiled for the host CPU -----*- C++ -*-===//
//
// Loads the object `weft-compile --target=host` wrote (model.o), links it
// in-process with LLVM's ORC JIT linker (no system linker needed) and calls
// its entry point `weft_model_run` on host buffers read from .npy / ONNX
// TensorProto (.pb) files. See docs/cpu.md.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_RUNTIME_CPURUNTIME_H
#define WEFT_RUNTIME_CPURUNTIME_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mlir::weft::runtime {

/// A dense row-major array with a numpy type string (`<f4`, `<f2`, `bf16`,
/// `|i1`, `|u1`, `|b1`, `<i8`, ...).
struct HostTensor {
  std::string dtype;
  std::vector<int64_t> shape;
  std::vector<char> data;

  int64_t numElements() const;
  /// Element `i` as a double (NaN for an unknown dtype).
  double at(int64_t i) const;
};

/// Bytes per element of a dtype, 0 if unknown.
unsigned dtypeBytes(llvm::StringRef dtype);

llvm::Expected<HostTensor> readNpy(llvm::StringRef path);
llvm::Expected<HostTensor> readTensorProto(llvm::StringRef path);
/// .pb files as TensorProto, anything else as .npy.
llvm::Expected<HostTensor> readTensorFile(llvm::StringRef path);
/// bf16 is written as f4 (exactly), as numpy has no bf16.
llvm::Error writeNpy(llvm::StringRef path, const HostTensor &tensor);

/// Whether data of dtype `have` can stand for `want`: equal, or uint16
/// bits for bf16 (how ONNX test data stores bfloat16).
bool sameLayout(llvm::StringRef have, llvm::StringRef want);

/// One buffer of a compiled model's entry point (see CPUCodegen.h).
struct ModelBuffer {
  bool isOutput = false;
  std::string dtype;
  std::vector<int64_t> shape;
  std::string name;
};

/// Parses the `weft_model_signature` text.
llvm::Expected<std::vector<ModelBuffer>> parseSignature(llvm::StringRef text);

/// A model object linked into this process.
class CPUModel {
public:
  ~CPUModel();
  static llvm::Expected<std::unique_ptr<CPUModel>>
  load(llvm::StringRef objectPath);

  const std::vector<ModelBuffer> &buffers() const { return signature; }
  /// Runs the model: `inputs` in order; fills `outputs`. Shapes and dtypes
  /// must be the signature's.
  llvm::Error run(const std::vector<HostTensor> &inputs,
                  std::vector<HostTensor> &outputs);

private:
  CPUModel() = default;
  struct Impl;
  std::unique_ptr<Impl> impl;
  std::vector<ModelBuffer> signature;
  void (*entry)(void **) = nullptr;
};

/// The numpy.allclose comparison: `|got - want| <= atol + rtol * |want|`,
/// NaN equal to NaN. Returns the max abs error in `maxAbs`, the number of
/// mismatches.
int64_t compareTensors(const HostTensor &got, const HostTensor &want,
                       double atol, double rtol, double &maxAbs);

} // namespace mlir::weft::runtime

#endif // WEFT_RUNTIME_CPURUNTIME_H
