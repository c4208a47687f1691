//===- KernelBinaries.h - pipe programs to cubins ---------------*- C++ -*-===//
//
// What weft-compile does with a pipe program for an NVIDIA chip: each
// warp-specialized kernel is lowered on its own and written as PTX, cubin and
// launch manifest. A kernel the lowering does not handle yet is reported, not
// fatal, so the rest of a model still compiles.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_TARGET_NVIDIA_KERNELBINARIES_H
#define WEFT_TARGET_NVIDIA_KERNELBINARIES_H

#include "mlir/IR/BuiltinOps.h"
#include <string>

namespace mlir::weft::nvidia {

struct KernelBinary {
  std::string kernel;
  std::string ptxPath, cubinPath, manifestPath;
};

struct KernelNotLowered {
  std::string kernel;
  std::string reason; // the lowering's first diagnostic
};

/// Lowers every function of `module` holding a pipe.warp_specialize to
/// `<directory>/<stem>.<kernel>.ptx` and, with `assemble` (ptxas needed),
/// `.cubin` and `.cubin.json`. `module` is not changed. Fails (with a
/// diagnostic) only when a file cannot be written or ptxas rejects the PTX.
LogicalResult compileKernels(ModuleOp module, StringRef directory,
                             StringRef stem, bool assemble,
                             SmallVectorImpl<KernelBinary> &binaries,
                             SmallVectorImpl<KernelNotLowered> &notLowered);

} // namespace mlir::weft::nvidia

#endif // WEFT_TARGET_NVIDIA_KERNELBINARIES_H
