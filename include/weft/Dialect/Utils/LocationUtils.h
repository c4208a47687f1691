//===- LocationUtils.h - what a location names ------------------*- C++ -*-===//
//
// The ONNX importer locates every op at NameLoc("<node>", <model>:0:0), and
// fusion merges them into FusedLocs. Tools show users the node names (which
// they can look up in the model) rather than the model's line 0.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_DIALECT_UTILS_LOCATIONUTILS_H
#define WEFT_DIALECT_UTILS_LOCATIONUTILS_H

#include "mlir/IR/Location.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::weft {

/// The names (NameLocs) inside `loc`, first occurrence order, no repeats.
SmallVector<StringRef> getLocationNames(Location loc);

/// The first file position inside `loc`, or null.
FileLineColLoc getFileLocation(Location loc);

} // namespace mlir::weft

#endif // WEFT_DIALECT_UTILS_LOCATIONUTILS_H
