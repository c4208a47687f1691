//===- MachineModelAttr.h - #pipe.machine <-> solver model ------*- C++ -*-===//
//
// The solver works on plain C++ machine models (weft/Schedule/Problem.h);
// IR carries them as #pipe.machine attributes so a lit test can declare its
// own machine inline. These two functions are the only bridge.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_SCHEDULE_MACHINEMODELATTR_H
#define WEFT_SCHEDULE_MACHINEMODELATTR_H

#include "mlir/IR/MLIRContext.h"
#include "weft/Dialect/Pipe/IR/PipeAttrs.h"
#include "weft/Schedule/Problem.h"

namespace mlir::weft {

/// The solver's view of `attr`.
::weft::schedule::MachineModel toMachineModel(pipe::MachineAttr attr);

/// `model` as an attribute. Rates and work multipliers are rounded to whole
/// numbers (every preset uses whole numbers).
pipe::MachineAttr toMachineAttr(MLIRContext *context,
                                const ::weft::schedule::MachineModel &model);

/// The attribute name under which a function or module names its machine.
inline constexpr llvm::StringLiteral kMachineAttrName = "pipe.machine";

/// The machine an op is compiled for: the nearest enclosing `pipe.machine`
/// attribute, or null.
pipe::MachineAttr lookupMachine(Operation *op);

} // namespace mlir::weft

#endif // WEFT_SCHEDULE_MACHINEMODELATTR_H
