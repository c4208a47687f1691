//===- Interpreter.h - CPU interpreter of tile and pipe programs -*- C++ -*-===//
//
// Runs `tile` programs and warp-specialized `pipe` programs on the host so
// that the output of scheduling and specialization is checked for
// correctness without a GPU. See docs/interpreter.md for the semantics.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_INTERPRETER_INTERPRETER_H
#define WEFT_INTERPRETER_INTERPRETER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Types.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mlir {
namespace func {
class FuncOp;
} // namespace func
namespace weft {
namespace interp {

/// A dense row-major host array: the contents of a memref, a tile or a
/// scalar (rank 0). Floating-point elements are held as doubles already
/// rounded to the element type; integer elements as int64_t, sign-extended
/// for signless types (i1 as 0 / 1) and zero-extended for unsigned ones.
struct HostArray {
  Type elementType;
  SmallVector<int64_t> shape;
  std::vector<double> floats; ///< when elementType is a float type
  std::vector<int64_t> ints;  ///< otherwise (integers, index)

  HostArray() = default;
  HostArray(Type elementType, ArrayRef<int64_t> shape);
  bool isFloat() const;
  int64_t numElements() const;
  double getDouble(int64_t i) const;
};

/// Rounds `value` to the nearest value of float type `type`
/// (round-to-nearest-even), the way every floating-point result is stored.
double roundToFloatType(double value, Type type);
/// Wraps `value` to the bit width of integer / index type `type` in the
/// canonical representation described at HostArray.
int64_t normalizeInt(int64_t value, Type type);

/// Fills `array` with reproducible pseudo-random values: floats uniform in
/// [-1, 1), iN for N <= 8 over the whole range, wider integers in [-16, 16].
void fillRandom(HostArray &array, uint64_t seed);

/// Reads a .npy file (C order; f2/f4/f8, i1/i2/i4/i8, u1/u2/u4/u8, b1) and
/// converts its elements to `elementType` (floats rounded, integers wrapped).
/// Returns an error message on failure, empty on success.
std::string readNpy(StringRef path, Type elementType, HostArray &array);
/// Writes `array` as .npy: bf16 and other non-IEEE small floats as f4
/// (exact), i1 as b1, sub-byte integers one byte each.
std::string writeNpy(StringRef path, const HostArray &array);

/// How the agents of a pipe.warp_specialize take turns.
enum class SchedulePolicy { RoundRobin, Random };

struct RunOptions {
  /// Program instances along x, y, z; each runs to completion in turn.
  std::array<int64_t, 3> grid = {1, 1, 1};
  SchedulePolicy policy = SchedulePolicy::RoundRobin;
  uint64_t scheduleSeed = 0;
  /// Accept one value left unread per consumer at the end of a program (a
  /// loop-carried value forwarded one iteration ahead); see the docs.
  bool allowFinalValue = true;
  /// Upper bound on executed operations per program instance (0: none).
  uint64_t maxSteps = 0;
};

/// An argument or result of the entry function.
struct RuntimeArg {
  bool isMemRef = false;
  /// Contents; memrefs are updated in place by the run.
  std::shared_ptr<HostArray> data;
};

/// Runs `func` once per program instance of the grid with `args` (memrefs
/// are shared by every instance); `results` receives the values the last
/// instance returns. Errors (deadlocks, unsynchronized channel use,
/// out-of-bounds accesses, unsupported ops) are reported as diagnostics
/// located at the offending op.
LogicalResult runFunction(func::FuncOp func, ArrayRef<RuntimeArg> args,
                          const RunOptions &options,
                          SmallVectorImpl<RuntimeArg> &results);

} // namespace interp
} // namespace weft
} // namespace mlir

#endif // WEFT_INTERPRETER_INTERPRETER_H
