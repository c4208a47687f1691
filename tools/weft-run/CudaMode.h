//===- CudaMode.h - weft-run --cuda: runs a cubin on the GPU ----*- C++ -*-===//
//
// The CUDA mode of weft-run lives in CudaMode.cpp; weft-run.cpp only hands
// over the options both modes share.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_TOOLS_WEFT_RUN_CUDAMODE_H
#define WEFT_TOOLS_WEFT_RUN_CUDAMODE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <cstdint>
#include <string>

namespace mlir {
namespace weft {

/// The options of weft-run that the CUDA mode shares with --interpret.
struct SharedRunOptions {
  llvm::StringRef grid;
  /// Whether --grid was given; if not, a grid in the manifest is used.
  bool gridGiven;
  llvm::StringRef argSizes;
  llvm::StringRef scalars;
  llvm::ArrayRef<std::string> inputs;
  llvm::StringRef fill;
  uint64_t seed;
  double relTol;
  double absTol;
  llvm::StringRef entry;
};

/// The category of the CUDA-only options (--cuda, --output, --bench, ...).
llvm::cl::OptionCategory &getCudaModeCategory();
/// Whether --cuda was given.
bool isCudaModeRequested();
/// Runs the CUDA mode; returns the process exit code.
int runCudaMode(const SharedRunOptions &shared);

} // namespace weft
} // namespace mlir

#endif // WEFT_TOOLS_WEFT_RUN_CUDAMODE_H
