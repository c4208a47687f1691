//===- onnx-import-fuzzer.cpp - mutated ONNX protobufs into the importer ---===//
//
// Every input is a (usually malformed) binary ModelProto. The importer must
// either return a module that verifies or report an error; crashes, hangs,
// sanitizer reports and a returned module that fails to verify are bugs.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "weft/Frontend/ONNX/ImportONNX.h"
#include "weft/InitAllDialects.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Verifier.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const mlir::DialectRegistry *registry = [] {
    auto *r = new mlir::DialectRegistry();
    mlir::weft::registerAllDialects(*r);
    return r;
  }();
  auto context = mlir::weft::fuzz::makeQuietContext(*registry);
  // External data is looked up next to the model; the directory does not
  // exist, so a mutated 'location' can never read a real file.
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::weft::importONNX(
      llvm::StringRef(reinterpret_cast<const char *>(data), size),
      "/nonexistent-weft-fuzz-dir/model.onnx", context.get());
  if (module && failed(mlir::verify(*module)))
    mlir::weft::fuzz::fail("the importer returned a module that does not verify");
  return 0;
}
