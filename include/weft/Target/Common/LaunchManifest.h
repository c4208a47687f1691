//===- LaunchManifest.h - A kernel's launch contract as JSON ----*- C++ -*-===//
//
// Every GPU exporter writes the `weft.launch` attribute of its gpu.module
// next to the binary, in the same JSON form the runtimes read.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_TARGET_COMMON_LAUNCHMANIFEST_H
#define WEFT_TARGET_COMMON_LAUNCHMANIFEST_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"

namespace mlir::weft {

/// Writes `launch` as JSON to `manifestPath`, with a "binary" field naming
/// the manifest's file name without ".json"; errors are reported at `at`.
LogicalResult writeLaunchManifest(Operation *at, DictionaryAttr launch,
                                  StringRef manifestPath);

} // namespace mlir::weft

#endif // WEFT_TARGET_COMMON_LAUNCHMANIFEST_H
