//===- KernelBinaries.cpp - pipe programs to cubins -----------------------===//
#include "weft/Target/NVIDIA/KernelBinaries.h"
#include "weft/Dialect/Pipe/IR/PipeOps.h"
#include "weft/Target/NVIDIA/PTXExport.h"
#include "weft/Target/NVIDIA/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::weft;

/// `module` with only `kernel` among its functions.
static OwningOpRef<ModuleOp> moduleOfKernel(ModuleOp module,
                                            StringRef kernel) {
  OwningOpRef<ModuleOp> copy = module.clone();
  for (auto func : llvm::make_early_inc_range(copy->getOps<func::FuncOp>()))
    if (func.getName() != kernel)
      func.erase();
  return copy;
}

static LogicalResult writeFile(Operation *anchor, StringRef path,
                               StringRef contents) {
  std::error_code ec;
  llvm::raw_fd_ostream file(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return anchor->emitError("cannot write ") << path << ": " << ec.message();
  file << contents;
  return success();
}

LogicalResult nvidia::compileKernels(
    ModuleOp module, StringRef directory, StringRef stem, bool assemble,
    SmallVectorImpl<KernelBinary> &binaries,
    SmallVectorImpl<KernelNotLowered> &notLowered) {
  SmallVector<std::string> kernels;
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.getBody().empty() &&
        !func.getBody().getOps<pipe::WarpSpecializeOp>().empty())
      kernels.push_back(func.getName().str());

  for (const std::string &kernel : kernels) {
    OwningOpRef<ModuleOp> lowered = moduleOfKernel(module, kernel);
    std::string reason;
    {
      // The lowering's complaints become the reason the kernel was skipped.
      ScopedDiagnosticHandler capture(module.getContext(), [&](Diagnostic &d) {
        if (d.getSeverity() == DiagnosticSeverity::Error && reason.empty()) {
          llvm::raw_string_ostream os(reason);
          os << d.str();
        }
        return success();
      });
      PassManager pm(module.getContext());
      nvidia::buildLowerToNVVMPipeline(pm);
      if (failed(pm.run(*lowered))) {
        notLowered.push_back({kernel, reason.empty() ? "lowering failed"
                                                     : reason});
        continue;
      }
    }
    KernelBinary binary{kernel, {}, {}, {}};
    llvm::SmallString<256> base(directory);
    llvm::sys::path::append(base, (stem + "." + kernel).str());
    binary.ptxPath = (base + ".ptx").str();

    std::string ptx;
    if (!assemble) {
      llvm::raw_string_ostream ptxStream(ptx);
      if (failed(nvidia::exportPTX(*lowered, ptxStream)) ||
          failed(writeFile(module, binary.ptxPath, ptx)))
        return failure();
      binaries.push_back(std::move(binary));
      continue;
    }
    // One back-end run: the cubin's exporter hands back the PTX it assembled.
    binary.cubinPath = (base + ".cubin").str();
    binary.manifestPath = (base + ".cubin.json").str();
    std::string cubin;
    llvm::raw_string_ostream cubinStream(cubin);
    if (failed(nvidia::exportCubin(*lowered, cubinStream, binary.manifestPath,
                                   &ptx)) ||
        failed(writeFile(module, binary.ptxPath, ptx)) ||
        failed(writeFile(module, binary.cubinPath, cubin)))
      return failure();
    binaries.push_back(std::move(binary));
  }
  return success();
}
