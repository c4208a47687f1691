//===- InitAllDialects.h - every dialect a weft tool loads ------*- C++ -*-===//
#ifndef WEFT_INITALLDIALECTS_H
#define WEFT_INITALLDIALECTS_H

namespace mlir {
class DialectRegistry;
namespace weft {

/// Registers Weft's dialects (weft, tile, pipe) and the upstream dialects
/// Weft lowers through, with their interface extensions.
void registerAllDialects(DialectRegistry &registry);

} // namespace weft
} // namespace mlir

#endif // WEFT_INITALLDIALECTS_H
