//===- KernelBinaries.h - pipe programs to HSA code objects -----*- C++ -*-===//
//
// What weft-compile does with a pipe program for gfx942 / gfx950: each
// warp-specialized kernel is lowered on its own and written as AMDGCN
// assembly, code object and launch manifest. A kernel the lowering does not
// handle yet is reported with the reason, not fatal.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_TARGET_AMD_KERNELBINARIES_H
#define WEFT_TARGET_AMD_KERNELBINARIES_H

#include "mlir/IR/BuiltinOps.h"
#include <string>

namespace mlir::weft::amd {

struct KernelBinary {
  std::string kernel;
  std::string assemblyPath, hsacoPath, manifestPath;
};

struct KernelNotLowered {
  std::string kernel;
  std::string reason; // the lowering's first diagnostic
};

/// Lowers every function of `module` holding a pipe.warp_specialize to
/// `<directory>/<stem>.<kernel>.s` and, with `link` (ld.lld needed),
/// `.hsaco` and `.hsaco.json`. `module` is not changed. Fails (with a
/// diagnostic) only when a file cannot be written or the back end fails.
LogicalResult compileKernels(ModuleOp module, StringRef directory,
                             StringRef stem, bool link,
                             SmallVectorImpl<KernelBinary> &binaries,
                             SmallVectorImpl<KernelNotLowered> &notLowered);

} // namespace mlir::weft::amd

#endif // WEFT_TARGET_AMD_KERNELBINARIES_H
