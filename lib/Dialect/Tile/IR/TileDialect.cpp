//===- TileDialect.cpp - The tile block-program dialect --------------------===//
#include "weft/Dialect/Tile/IR/TileDialect.h"
#include "weft/Dialect/Tile/IR/TileOps.h"

using namespace mlir;
using namespace mlir::weft::tile;

#include "weft/Dialect/Tile/IR/TileDialect.cpp.inc"

void TileDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "weft/Dialect/Tile/IR/TileOps.cpp.inc"
      >();
}
