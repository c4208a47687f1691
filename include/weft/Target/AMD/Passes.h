//===- Passes.h - AMD lowering passes ---------------------------*- C++ -*-===//
#ifndef WEFT_TARGET_AMD_PASSES_H
#define WEFT_TARGET_AMD_PASSES_H

#include "mlir/Dialect/AMDGPU/IR/AMDGPUDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::weft::amd {

#define GEN_PASS_DECL
#include "weft/Target/AMD/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "weft/Target/AMD/Passes.h.inc"

/// weft-convert-pipe-to-amdgpu, then weft-lower-kernels-to-rocdl on every
/// gpu.module: kernels ready for `weft-translate --export-hsaco`.
void buildLowerToROCDLPipeline(OpPassManager &pm);

/// Registers `weft-lower-to-rocdl` (buildLowerToROCDLPipeline).
void registerLowerToROCDLPipeline();

} // namespace mlir::weft::amd

#endif // WEFT_TARGET_AMD_PASSES_H
