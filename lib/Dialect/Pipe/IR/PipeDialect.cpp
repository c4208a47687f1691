//===- PipeDialect.cpp - The pipe scheduled-program dialect ----------------===//
#include "weft/Dialect/Pipe/IR/PipeDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"
#include "weft/Dialect/Pipe/IR/PipeAttrs.h"
#include "weft/Dialect/Pipe/IR/PipeOps.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <tuple>

using namespace mlir;
using namespace mlir::weft::pipe;

#include "weft/Dialect/Pipe/IR/PipeDialect.cpp.inc"
#include "weft/Dialect/Pipe/IR/PipeEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "weft/Dialect/Pipe/IR/PipeAttrs.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "weft/Dialect/Pipe/IR/PipeTypes.cpp.inc"

namespace {
/// Machine models are long; printing them once at the top of a module, as
/// `#<name>` aliases, keeps the ops that use them readable.
struct PipeOpAsmInterface : public OpAsmDialectInterface {
  using OpAsmDialectInterface::OpAsmDialectInterface;
  AliasResult getAlias(Attribute attr, raw_ostream &os) const override {
    if (auto machine = dyn_cast<MachineAttr>(attr)) {
      os << machine.getName();
      return AliasResult::FinalAlias;
    }
    return AliasResult::NoAlias;
  }
};
} // namespace

void PipeDialect::initialize() {
  addInterfaces<PipeOpAsmInterface>();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "weft/Dialect/Pipe/IR/PipeAttrs.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "weft/Dialect/Pipe/IR/PipeTypes.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "weft/Dialect/Pipe/IR/PipeOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

/// Machine model numbers are unsigned, and the parser reads `-1` into one as
/// its two's complement; the solver turns them into int64 costs and products
/// of them. Every field has a ceiling far above any real machine so that a
/// negative number is an error here, not a wrapped cost there.
static LogicalResult
checkMachineLimit(function_ref<InFlightDiagnostic()> emitError,
                  StringRef owner, StringRef field, uint64_t value,
                  uint64_t limit) {
  if (value <= limit)
    return success();
  return emitError() << owner << " has " << field << " = " << value
                     << ", above the limit of " << limit
                     << " (a negative number for an unsigned field?)";
}

constexpr uint64_t kMaxCycles = 1 << 24;
constexpr uint64_t kMaxUnitCount = 1 << 16;
constexpr uint64_t kMaxRate = uint64_t(1) << 40;
constexpr uint64_t kMaxCapacity = uint64_t(1) << 40;

LogicalResult
FunctionalUnitAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                           StringRef name, unsigned count, uint64_t rate,
                           uint64_t latency) {
  if (name.empty())
    return emitError() << "functional unit needs a name";
  std::string owner = ("functional unit '" + name + "'").str();
  if (failed(checkMachineLimit(emitError, owner, "count", count,
                               kMaxUnitCount)) ||
      failed(checkMachineLimit(emitError, owner, "rate", rate, kMaxRate)) ||
      failed(checkMachineLimit(emitError, owner, "latency", latency,
                               kMaxCycles)))
    return failure();
  if (count == 0)
    return emitError() << "functional unit '" << name
                       << "' must have a count of at least 1";
  if (rate == 0)
    return emitError() << "functional unit '" << name
                       << "' must have a rate of at least 1";
  return success();
}

LogicalResult OpKindAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 StringRef name, StringRef unit, WorkMeasure,
                                 uint64_t issue, uint64_t extraLatency,
                                 uint64_t workScale, Completion) {
  if (name.empty() || unit.empty())
    return emitError() << "op kind needs a name and a unit";
  std::string owner = ("op kind '" + name + "'").str();
  if (failed(checkMachineLimit(emitError, owner, "issue", issue, kMaxCycles)) ||
      failed(checkMachineLimit(emitError, owner, "extra_latency", extraLatency,
                               kMaxCycles)) ||
      failed(checkMachineLimit(emitError, owner, "work_scale", workScale,
                               kMaxRate)))
    return failure();
  if (issue == 0 || workScale == 0)
    return emitError() << "op kind '" << name
                       << "' needs issue >= 1 and work_scale >= 1";
  return success();
}

LogicalResult MachineAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  StringRef name,
                                  ArrayRef<FunctionalUnitAttr> units,
                                  ArrayRef<OpKindAttr> kinds,
                                  uint64_t smemBytes, uint64_t tmemColumns,
                                  uint64_t registerFile,
                                  unsigned maxRegisters, unsigned maxWarps,
                                  unsigned warpGroupSize,
                                  ArrayRef<unsigned> registerBudgets,
                                  unsigned threadsPerWarp,
                                  unsigned handoffCycles) {
  if (name.empty())
    return emitError() << "machine needs a name";
  std::string owner = ("machine '" + name + "'").str();
  for (auto [field, value, limit] :
       {std::make_tuple("smem_bytes", smemBytes, kMaxCapacity),
        std::make_tuple("tmem_columns", tmemColumns, kMaxCapacity),
        std::make_tuple("register_file", registerFile, kMaxCapacity),
        std::make_tuple("max_registers", uint64_t(maxRegisters), kMaxCycles),
        std::make_tuple("max_warps", uint64_t(maxWarps), kMaxUnitCount),
        std::make_tuple("threads_per_warp", uint64_t(threadsPerWarp),
                        kMaxUnitCount),
        std::make_tuple("handoff_cycles", uint64_t(handoffCycles),
                        kMaxCycles)})
    if (failed(checkMachineLimit(emitError, owner, field, value, limit)))
      return failure();
  if (units.empty())
    return emitError() << "machine '" << name << "' has no functional units";
  llvm::StringSet<> seen;
  for (FunctionalUnitAttr unit : units)
    if (!seen.insert(unit.getName()).second)
      return emitError() << "machine '" << name << "' lists unit '"
                         << unit.getName() << "' twice";
  llvm::StringSet<> kindNames;
  for (OpKindAttr kind : kinds) {
    if (!seen.contains(kind.getUnit()))
      return emitError() << "op kind '" << kind.getName()
                         << "' runs on unknown unit '" << kind.getUnit() << "'";
    if (!kindNames.insert(kind.getName()).second)
      return emitError() << "machine '" << name << "' binds op kind '"
                         << kind.getName() << "' twice";
  }
  if (maxWarps == 0 || warpGroupSize == 0 || warpGroupSize > maxWarps)
    return emitError() << "machine '" << name
                       << "' needs 0 < warp_group_size <= max_warps";
  if (threadsPerWarp == 0)
    return emitError() << "machine '" << name
                       << "' needs at least one thread per warp";
  if (maxRegisters == 0 || registerFile == 0)
    return emitError() << "machine '" << name
                       << "' needs a non-empty register file";
  for (unsigned budget : registerBudgets)
    if (budget == 0 || budget > maxRegisters)
      return emitError() << "register budget " << budget
                         << " is outside (0, max_registers = " << maxRegisters
                         << "]";
  return success();
}

FunctionalUnitAttr MachineAttr::lookupUnit(StringRef unitName) const {
  for (FunctionalUnitAttr unit : getUnits())
    if (unit.getName() == unitName)
      return unit;
  return {};
}

OpKindAttr MachineAttr::lookupKind(StringRef kindName) const {
  for (OpKindAttr kind : getKinds())
    if (kind.getName() == kindName)
      return kind;
  return {};
}

LogicalResult ScheduleAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   int64_t ii, int64_t lowerBound,
                                   bool provenOptimal, int64_t stages,
                                   int64_t length, int64_t iiCycles,
                                   int64_t partitions) {
  if (ii <= 0)
    return emitError() << "ii must be positive, got " << ii;
  if (lowerBound <= 0 || lowerBound > ii)
    return emitError() << "lower_bound must be in [1, ii], got " << lowerBound;
  if (stages <= 0 || length <= 0 || iiCycles <= 0 || partitions <= 0)
    return emitError()
           << "stages, length, ii_cycles and partitions must be positive";
  // ceil(length / ii) for positive operands, without length + ii - 1, which
  // overflows for lengths near INT64_MAX.
  int64_t expectedStages = (length - 1) / ii + 1;
  if (stages != expectedStages)
    return emitError() << "stages (" << stages << ") must be ceil(length / ii) = "
                       << expectedStages;
  (void)provenOptimal;
  return success();
}

LogicalResult
PlacementAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      int64_t stage, int64_t cycle, int64_t partition,
                      int64_t buffers) {
  if (stage < 0 || cycle < 0 || partition < 0)
    return emitError() << "stage, cycle and partition must be non-negative";
  if (buffers < 1)
    return emitError() << "an op's result needs at least one buffer";
  if (stage > cycle)
    return emitError() << "stage " << stage << " cannot start after cycle "
                       << cycle;
  return success();
}

LogicalResult ChannelType::verify(function_ref<InFlightDiagnostic()> emitError,
                                  Type payload, unsigned depth, MemorySpace,
                                  unsigned consumers) {
  if (depth == 0)
    return emitError() << "channel depth must be at least 1";
  if (consumers == 0)
    return emitError() << "a channel needs at least one consumer";
  if (!payload)
    return emitError() << "channel needs a payload type";
  return success();
}
