//===- LoopProblem.h - a tile loop body as a schedule problem ---*- C++ -*-===//
//
// Turns the body of an scf.for over tiles into the solver's dependence graph:
// one node per tile-level op (loads, dots, reductions, elementwise math on
// tiles), classified into an op kind of the machine model and costed from its
// work; edges from SSA uses (distance 0) and through iter_args (distance 1).
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_SCHEDULE_LOOPPROBLEM_H
#define WEFT_SCHEDULE_LOOPPROBLEM_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "weft/Schedule/Problem.h"

namespace mlir::weft {

struct LoopProblem {
  ::weft::schedule::Problem problem;
  /// The IR op behind each problem op (same index).
  SmallVector<Operation *> ops;
};

/// Builds the schedule problem of `loop`'s body for `machine`. Emits a
/// diagnostic at the offending op and fails when an op's kind has no
/// binding in the machine or the body holds nothing to schedule.
FailureOr<LoopProblem>
buildLoopProblem(scf::ForOp loop, const ::weft::schedule::MachineModel &machine);

/// The op kind (key of the machine's kind bindings) and the amount of work of
/// a tile-level op, or nothing for ops the schedule ignores (index math,
/// constants, ops on scalars).
struct OpWork {
  std::string kind;
  double work = 0;
};
std::optional<OpWork> classifyTileOp(Operation *op,
                                     const ::weft::schedule::MachineModel &machine);

} // namespace mlir::weft

#endif // WEFT_SCHEDULE_LOOPPROBLEM_H
