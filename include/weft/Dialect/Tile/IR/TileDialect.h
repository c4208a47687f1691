//===- TileDialect.h - The tile block-program dialect -----------*- C++ -*-===//
#ifndef WEFT_DIALECT_TILE_IR_TILEDIALECT_H
#define WEFT_DIALECT_TILE_IR_TILEDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "weft/Dialect/Tile/IR/TileDialect.h.inc"

#endif // WEFT_DIALECT_TILE_IR_TILEDIALECT_H
