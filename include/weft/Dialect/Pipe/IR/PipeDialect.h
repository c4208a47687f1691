//===- PipeDialect.h - The pipe scheduled-program dialect -------*- C++ -*-===//
#ifndef WEFT_DIALECT_PIPE_IR_PIPEDIALECT_H
#define WEFT_DIALECT_PIPE_IR_PIPEDIALECT_H

#include "mlir/IR/Dialect.h"

#include "weft/Dialect/Pipe/IR/PipeDialect.h.inc"

#endif // WEFT_DIALECT_PIPE_IR_PIPEDIALECT_H
