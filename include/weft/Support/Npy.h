//===- Npy.h - numpy .npy headers -------------------------------*- C++ -*-===//
//
// The interpreter and the native CPU runner both write arrays as .npy files;
// the format's header is written in one place.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_SUPPORT_NPY_H
#define WEFT_SUPPORT_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir::weft {

/// Writes the magic, version 1.0 and the header dictionary of a C-order
/// array of numpy type `descr` ("<f4", "|i1", ...) and `shape`, padded so the
/// data that follows starts at a multiple of 64 bytes.
void writeNpyHeader(llvm::raw_ostream &os, llvm::StringRef descr,
                    llvm::ArrayRef<int64_t> shape);

} // namespace mlir::weft

#endif // WEFT_SUPPORT_NPY_H
