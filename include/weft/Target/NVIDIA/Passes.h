//===- Passes.h - NVIDIA lowering passes ------------------------*- C++ -*-===//
#ifndef WEFT_TARGET_NVIDIA_PASSES_H
#define WEFT_TARGET_NVIDIA_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::weft::nvidia {

#define GEN_PASS_DECL
#include "weft/Target/NVIDIA/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "weft/Target/NVIDIA/Passes.h.inc"

/// weft-convert-pipe-to-nvgpu followed by the upstream conversions that
/// bring the kernels to the LLVM / NVVM dialects.
void buildLowerToNVVMPipeline(OpPassManager &pm);

/// Registers `weft-lower-to-nvvm` (buildLowerToNVVMPipeline): weft-convert-pipe-to-nvgpu followed by
/// the upstream conversions that bring the kernels to the LLVM / NVVM
/// dialects, ready for `weft-translate --export-ptx / --export-cubin`.
void registerLowerToNVVMPipeline();

} // namespace mlir::weft::nvidia

#endif // WEFT_TARGET_NVIDIA_PASSES_H
