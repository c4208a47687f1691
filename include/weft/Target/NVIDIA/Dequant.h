//===- Dequant.h - register-level dequantization on NVIDIA GPUs -*- C++ -*-===//
//
// Packed quantized weights become 16-bit floats in registers, right before
// mma.sync / wgmma consume them, without a table and without integer to
// float conversions: the bits of a small integer are OR-ed (lop3) or
// permuted (prmt) under the exponent of a "magic" float whose unit in the
// last place is 1, and one packed f16x2 / bf16x2 subtract or FMA removes the
// magic and the zero point (the trick of FasterTransformer and Marlin). fp8
// has native conversions from sm_89 on.
//
// Each conversion is one PTX sequence (the single source of truth: the
// emitter inlines it, the unit test executes it on an instruction-level
// model, the benchmark counts its instructions).
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_TARGET_NVIDIA_DEQUANT_H
#define WEFT_TARGET_NVIDIA_DEQUANT_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>

namespace mlir::weft::nvidia {

/// The conversions, named after their storage and result types.
enum class DequantConversion {
  Int4ToF16,  ///< i4 (two's complement), 8 per b32, Marlin interleave
  UInt4ToF16, ///< ui4, 8 per b32, Marlin interleave
  Int4ToBF16, ///< i4, 8 per b32, Marlin interleave
  Int8ToF16,  ///< i8, 4 per b32, interleave [0, 2, 1, 3]
  E4M3ToF16,  ///< f8E4M3FN, 4 per b32, natural order (sm_89+)
  E5M2ToF16,  ///< f8E5M2, 4 per b32, natural order (sm_89+)
};

/// One conversion of a b32 register of packed values into f16x2 / bf16x2
/// registers. PTX operands: `$0 .. $(outputs-1)` the results, `$outputs`
/// the packed input, then `constants` in order (b32 registers; PTX's packed
/// half operations take no immediates).
struct DequantSequence {
  llvm::StringRef name;
  llvm::StringRef ptx;
  unsigned elementsPerWord; ///< logical values in the b32 input
  unsigned outputs;         ///< b32 results, two 16-bit floats each
  llvm::ArrayRef<uint32_t> constants;
  /// Storage position -> logical element: nibble / byte p of the input holds
  /// element `storageOrder[p]`; result r holds elements 2r (low half) and
  /// 2r + 1 (high half).
  llvm::ArrayRef<int64_t> storageOrder;
  bool resultIsBF16;
  unsigned minSm; ///< 80 or 89
};

const DequantSequence &dequantSequence(DequantConversion conversion);
llvm::ArrayRef<DequantConversion> allDequantConversions();

/// PTX instructions of the sequence (each `;`-terminated statement that is
/// not a declaration or a brace).
unsigned countInstructions(llvm::StringRef ptx);

/// The conversion for an element type pair of tile.dequant (`storage`
/// i4 / ui4 / i8 / f8E4M3FN / f8E5M2 into `result` f16 / bf16) on `sm`,
/// if there is one.
std::optional<DequantConversion> dequantConversionFor(Type storage,
                                                      Type result,
                                                      unsigned sm);

/// Emits the sequence as `llvm.inline_asm` on the i32 `packed` and returns
/// its `outputs` i32 results (each two 16-bit floats, low half first).
llvm::SmallVector<Value> emitDequant(OpBuilder &b, Location loc,
                                     DequantConversion conversion,
                                     Value packed);

} // namespace mlir::weft::nvidia

#endif // WEFT_TARGET_NVIDIA_DEQUANT_H
