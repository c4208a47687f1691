//===- Passes.h - tile to CPU conversion passes -----------------*- C++ -*-===//
#ifndef WEFT_CONVERSION_TILETOCPU_PASSES_H
#define WEFT_CONVERSION_TILETOCPU_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::weft {

#define GEN_PASS_DECL
#include "weft/Conversion/TileToCPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "weft/Conversion/TileToCPU/Passes.h.inc"

} // namespace mlir::weft

#endif // WEFT_CONVERSION_TILETOCPU_PASSES_H
