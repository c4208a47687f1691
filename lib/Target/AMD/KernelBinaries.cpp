//===- KernelBinaries.cpp - pipe programs to HSA code objects -------------===//
//
// The AMD twin of lib/Target/NVIDIA/KernelBinaries.cpp (one kernel per
// module copy, diagnostics captured as the reason a kernel is skipped).
//
//===----------------------------------------------------------------------===//
#include "weft/Target/AMD/KernelBinaries.h"
#include "weft/Dialect/Pipe/IR/PipeOps.h"
#include "weft/Target/AMD/HSACOExport.h"
#include "weft/Target/AMD/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::weft;

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

LogicalResult amd::compileKernels(ModuleOp module, StringRef directory,
                                  StringRef stem, bool link,
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
      ScopedDiagnosticHandler capture(module.getContext(), [&](Diagnostic &d) {
        if (d.getSeverity() == DiagnosticSeverity::Error && reason.empty()) {
          llvm::raw_string_ostream os(reason);
          os << d.str();
        }
        return success();
      });
      PassManager pm(module.getContext());
      amd::buildLowerToROCDLPipeline(pm);
      if (failed(pm.run(*lowered))) {
        notLowered.push_back(
            {kernel, reason.empty() ? "lowering failed" : reason});
        continue;
      }
    }
    KernelBinary binary{kernel, {}, {}, {}};
    llvm::SmallString<256> base(directory);
    llvm::sys::path::append(base, (stem + "." + kernel).str());
    binary.assemblyPath = (base + ".s").str();
    std::string assembly;
    if (!link) {
      llvm::raw_string_ostream assemblyStream(assembly);
      if (failed(amd::exportAMDGCNAssembly(*lowered, assemblyStream)) ||
          failed(writeFile(module, binary.assemblyPath, assembly)))
        return failure();
      binaries.push_back(std::move(binary));
      continue;
    }
    binary.hsacoPath = (base + ".hsaco").str();
    binary.manifestPath = (base + ".hsaco.json").str();
    std::string hsaco;
    llvm::raw_string_ostream hsacoStream(hsaco);
    if (failed(amd::exportHsaco(*lowered, hsacoStream, binary.manifestPath,
                                &assembly)) ||
        failed(writeFile(module, binary.assemblyPath, assembly)) ||
        failed(writeFile(module, binary.hsacoPath, hsaco)))
      return failure();
    binaries.push_back(std::move(binary));
  }
  return success();
}
