//===- MachineModels.cpp - Preset registry and cost estimation -----------===//

#include "weft/Target/MachineModels.h"

#include <algorithm>
#include <cmath>

using namespace weft;
using namespace weft::schedule;

const std::vector<std::string> &target::knownMachineNames() {
  static const std::vector<std::string> names = {"sm_80", "sm_90a", "sm_100a",
                                                 "gfx942", "gfx950", "arm-sme2"};
  return names;
}

std::optional<MachineModel> target::getMachineModel(const std::string &name) {
  if (name == "sm_80")
    return makeSm80();
  if (name == "sm_90a")
    return makeSm90a();
  if (name == "sm_100a")
    return makeSm100a();
  if (name == "gfx942")
    return makeGfx942();
  if (name == "gfx950")
    return makeGfx950();
  if (name == "arm-sme2")
    return makeArmSme2();
  return std::nullopt;
}

std::optional<target::OpCost> target::estimateCost(const MachineModel &machine,
                                                   const std::string &kind,
                                                   double work,
                                                   std::string *error) {
  auto failWith = [&](const std::string &message) -> std::optional<OpCost> {
    if (error)
      *error = message;
    return std::nullopt;
  };
  const KindBinding *binding = machine.findKind(kind);
  if (!binding)
    return failWith("machine '" + machine.name + "' has no unit for op kind '" +
                    kind + "'");
  int unit = machine.findUnit(binding->unit);
  if (unit < 0)
    return failWith("machine '" + machine.name + "' binds '" + kind +
                    "' to missing unit '" + binding->unit + "'");
  if (!(work >= 0) || !std::isfinite(work))
    return failWith("work of a '" + kind + "' op must be a finite number >= 0");
  const Unit &u = machine.units[unit];
  OpCost cost;
  cost.occupancy = std::max<int64_t>(
      1, static_cast<int64_t>(std::ceil(work * binding->workMultiplier /
                                        std::max(u.workPerCycle, 1e-9))));
  cost.latency = cost.occupancy + u.pipelineLatency + binding->extraLatency;
  cost.issueCycles = binding->asynchronous
                         ? std::max<int64_t>(1, binding->asyncIssueCycles)
                         : cost.occupancy;
  cost.variableLatency = binding->variableLatency;
  cost.reservations.push_back(
      Reservation{static_cast<unsigned>(unit), 0, cost.occupancy});
  return cost;
}

std::optional<Op> target::makeOp(const MachineModel &machine,
                                 const std::string &name,
                                 const std::string &kind, double work,
                                 std::string *error) {
  std::optional<OpCost> cost = estimateCost(machine, kind, work, error);
  if (!cost)
    return std::nullopt;
  Op op;
  op.name = name;
  op.kind = kind;
  op.reservations = cost->reservations;
  op.latency = cost->latency;
  op.issueCycles = cost->issueCycles;
  op.variableLatency = cost->variableLatency;
  return op;
}

double weft::target::dequantInstructionsPerElement(
    const schedule::MachineModel &machine, const DequantQuery &query) {
  namespace nvidia = mlir::weft::nvidia;
  double scalar = 2.0 + (query.zeroPoint ? 1.0 : 0.0);
  llvm::StringRef name = machine.name;
  std::optional<unsigned> sm = nvidia::parseSmNumber(name);
  if (!sm)
    return scalar;
  std::optional<nvidia::DequantConversion> conversion =
      nvidia::selectDequantConversion(query.storage, query.bits,
                                      query.resultBF16, *sm);
  if (!conversion)
    return scalar;
  const nvidia::DequantSequence &seq = nvidia::dequantSequence(*conversion);
  return double(nvidia::countInstructions(seq.ptx)) / seq.elementsPerWord +
         0.5 + (query.zeroPoint ? 0.5 : 0.0);
}
