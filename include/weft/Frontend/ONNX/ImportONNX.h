//===- ImportONNX.h - ONNX models into the weft dialect ---------*- C++ -*-===//
//
// The ONNX frontend: reads a binary ONNX ModelProto and builds one
// `func.func @main` of `weft` ops (plus `arith.constant`s for initializers).
// The protobuf types stay inside the library so that users of this header
// need neither the ONNX nor the protobuf headers.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_FRONTEND_ONNX_IMPORTONNX_H
#define WEFT_FRONTEND_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::weft {

/// Imports the serialized ONNX model `bytes` (a binary ModelProto) into a new
/// module. `fileName` is used for locations (each op is located at
/// NameLoc("<node name>", <fileName>:0:0)) and to find tensors stored in
/// external data files next to the model. Every problem with the input is
/// reported as an error diagnostic; the result is then null.
OwningOpRef<ModuleOp> importONNX(llvm::StringRef bytes,
                                 llvm::StringRef fileName,
                                 MLIRContext *context);

/// Registers `--import-onnx` with weft-translate.
void registerImportONNXTranslation();

} // namespace mlir::weft

#endif // WEFT_FRONTEND_ONNX_IMPORTONNX_H
