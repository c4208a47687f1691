//===- MachineModels.h - Machine-model presets per target ------*- C++ -*-===//
//
// Named machine models for the schedule solver ("sm_80", "sm_90a", "sm_100a",
// "gfx942", "gfx950", "arm-sme2") and a cost estimator that turns an op kind
// plus an amount of work into a reservation table and latency, so that a pass
// can classify tile ops into schedule Ops without knowing the target.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_TARGET_MACHINEMODELS_H
#define WEFT_TARGET_MACHINEMODELS_H

#include "weft/Schedule/Problem.h"
#include "weft/Target/NVIDIA/DequantSequences.h"

#include <optional>
#include <string>
#include <vector>

namespace weft {
namespace target {

/// Names accepted by getMachineModel, in a stable order.
const std::vector<std::string> &knownMachineNames();

/// The preset called `name`, or std::nullopt.
std::optional<schedule::MachineModel> getMachineModel(const std::string &name);

// Per-vendor presets (defined under lib/Target/<Vendor>/).
schedule::MachineModel makeSm80();
schedule::MachineModel makeSm90a();
schedule::MachineModel makeSm100a();
schedule::MachineModel makeGfx942();
schedule::MachineModel makeGfx950();
schedule::MachineModel makeArmSme2();
/// One Neoverse V2 core; not a --target of its own: the aarch64-sve2
/// kernels schedule their inner loop on it (docs/arm.md).
schedule::MachineModel makeNeoverseV2();

/// Estimated cost of one op of `kind` doing `work` units (FLOPs, bytes or
/// elements, as the machine's KindBinding for `kind` says).
struct OpCost {
  std::vector<schedule::Reservation> reservations;
  int64_t occupancy = 1; ///< cycles on its unit
  int64_t latency = 1;
  int64_t issueCycles = 1;
  bool variableLatency = false;
};

/// Fails (returns std::nullopt and sets *error) when the machine has no
/// binding for `kind` or the work is negative.
std::optional<OpCost> estimateCost(const schedule::MachineModel &machine,
                                   const std::string &kind, double work,
                                   std::string *error = nullptr);

/// An Op named `name` of `kind` with its cost filled in from estimateCost;
/// footprints are left for the caller.
std::optional<schedule::Op> makeOp(const schedule::MachineModel &machine,
                                   const std::string &name,
                                   const std::string &kind, double work,
                                   std::string *error = nullptr);

/// What a tile.dequant converts, for its cost.
struct DequantQuery {
  using Storage = mlir::weft::nvidia::CodeKind;
  Storage storage = Storage::SignedInt;
  unsigned bits = 4;       ///< storage bits per element
  bool resultBF16 = false; ///< f16 otherwise (f32 counts as f16)
  bool zeroPoint = false;
};

/// Instructions per element a machine spends on a dequantization: on NVIDIA
/// the register-level sequence's PTX instructions per element
/// (DequantSequences.h) plus one packed multiply by the scale per two
/// elements (and one packed subtract for a zero point); elsewhere, and for
/// formats without a sequence, the scalar form: one conversion (or table
/// load), one subtract for a zero point, one multiply.
double dequantInstructionsPerElement(const schedule::MachineModel &machine,
                                     const DequantQuery &query);

} // namespace target
} // namespace weft

#endif // WEFT_TARGET_MACHINEMODELS_H
