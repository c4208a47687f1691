//===- OutputFiles.h - outputs that appear whole or not at all --*- C++ -*-===//
//
// A tool that dies half-way through writing a file (an error in a later
// stage, a full disk, SIGINT) must not leave a truncated file at the path a
// user or a build system reads as its result. Outputs are therefore written
// to a temporary file in the same directory (so the final rename is atomic
// and never crosses file systems) and renamed into place once complete.
// Temporaries are removed on failure and on fatal signals.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_SUPPORT_OUTPUTFILES_H
#define WEFT_SUPPORT_OUTPUTFILES_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <utility>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir::weft {

using OutputWriter = llvm::function_ref<void(llvm::raw_ostream &)>;

/// Writes `path` through a temporary file and an atomic rename: readers,
/// including concurrent writers of the same path, see either the old file or
/// the complete new one.
llvm::Error writeFileAtomically(llvm::StringRef path, OutputWriter write);

/// The output files of one tool run, published together: write() stages each
/// file as a temporary next to its path, commit() renames them all into
/// place. Destroyed without commit() (the run failed), it removes the
/// temporaries, so a failed run leaves none of its outputs behind.
class OutputFileSet {
public:
  OutputFileSet() = default;
  OutputFileSet(const OutputFileSet &) = delete;
  OutputFileSet &operator=(const OutputFileSet &) = delete;
  ~OutputFileSet() { discard(); }

  llvm::Error write(llvm::StringRef path, OutputWriter write);
  /// Renames every staged file into place. If one rename fails, the files
  /// this call already published are removed again.
  llvm::Error commit();
  /// Removes every staged temporary.
  void discard();

private:
  /// (temporary, final path) of each staged file.
  std::vector<std::pair<std::string, std::string>> staged;
};

} // namespace mlir::weft

#endif // WEFT_SUPPORT_OUTPUTFILES_H
