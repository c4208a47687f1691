//===- InitAllPasses.h - every pass and pipeline of weft --------*- C++ -*-===//
#ifndef WEFT_INITALLPASSES_H
#define WEFT_INITALLPASSES_H

namespace mlir::weft {

/// Registers Weft's passes and pass pipelines (all under `weft-` names) and
/// the upstream passes, so `weft-opt` runs anything `mlir-opt` runs.
void registerAllPasses();

} // namespace mlir::weft

#endif // WEFT_INITALLPASSES_H
