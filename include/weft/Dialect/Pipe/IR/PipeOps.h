//===- PipeOps.h - pipe ops -------------------------------------*- C++ -*-===//
#ifndef WEFT_DIALECT_PIPE_IR_PIPEOPS_H
#define WEFT_DIALECT_PIPE_IR_PIPEOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "weft/Dialect/Pipe/IR/PipeAttrs.h"

namespace mlir::weft::pipe {
/// The slots and barriers of channels, as a side-effect resource distinct
/// from global memory.
struct ChannelResource : public SideEffects::Resource::Base<ChannelResource> {
  llvm::StringRef getName() final { return "PipeChannel"; }
};
} // namespace mlir::weft::pipe

#define GET_OP_CLASSES
#include "weft/Dialect/Pipe/IR/PipeOps.h.inc"

#endif // WEFT_DIALECT_PIPE_IR_PIPEOPS_H
