//===- MachineModelAttr.cpp - #pipe.machine <-> solver model --------------===//
#include "weft/Schedule/MachineModelAttr.h"
#include "mlir/IR/Operation.h"
#include <cmath>

using namespace mlir;
using namespace mlir::weft;
namespace sched = ::weft::schedule;

static sched::WorkMeasure toMeasure(pipe::WorkMeasure measure) {
  switch (measure) {
  case pipe::WorkMeasure::flops:
    return sched::WorkMeasure::Flops;
  case pipe::WorkMeasure::bytes:
    return sched::WorkMeasure::Bytes;
  case pipe::WorkMeasure::elements:
    return sched::WorkMeasure::Elements;
  }
  return sched::WorkMeasure::Elements;
}

static pipe::WorkMeasure fromMeasure(sched::WorkMeasure measure) {
  switch (measure) {
  case sched::WorkMeasure::Flops:
    return pipe::WorkMeasure::flops;
  case sched::WorkMeasure::Bytes:
    return pipe::WorkMeasure::bytes;
  case sched::WorkMeasure::Elements:
    return pipe::WorkMeasure::elements;
  }
  return pipe::WorkMeasure::elements;
}

sched::MachineModel mlir::weft::toMachineModel(pipe::MachineAttr attr) {
  sched::MachineModel model;
  model.name = attr.getName().str();
  for (pipe::FunctionalUnitAttr unit : attr.getUnits())
    model.units.push_back({unit.getName().str(), unit.getCount(),
                           static_cast<double>(unit.getRate()),
                           static_cast<int64_t>(unit.getLatency())});
  for (pipe::OpKindAttr kind : attr.getKinds()) {
    sched::KindBinding binding;
    binding.kind = kind.getName().str();
    binding.unit = kind.getUnit().str();
    binding.measure = toMeasure(kind.getMeasure());
    binding.variableLatency =
        kind.getCompletion() == pipe::Completion::variable;
    binding.asynchronous = kind.getCompletion() != pipe::Completion::sync;
    binding.asyncIssueCycles = kind.getIssue();
    binding.extraLatency = kind.getExtraLatency();
    binding.workMultiplier = static_cast<double>(kind.getWorkScale());
    model.kinds.push_back(binding);
  }
  model.smemBytes = attr.getSmemBytes();
  model.tmemColumns = attr.getTmemColumns();
  model.registerFileSize = attr.getRegisterFile();
  model.maxRegsPerThread = attr.getMaxRegisters();
  model.maxWarpsPerBlock = attr.getMaxWarps();
  model.warpGroupSize = attr.getWarpGroupSize();
  for (unsigned budget : attr.getRegisterBudgets())
    model.registerBudgets.push_back(budget);
  model.threadsPerWarp = attr.getThreadsPerWarp();
  // A one-thread core allocates registers one at a time.
  if (model.threadsPerWarp == 1)
    model.registerAllocationGranule = 1;
  model.handoffCost = attr.getHandoffCycles();
  return model;
}

pipe::MachineAttr mlir::weft::toMachineAttr(MLIRContext *context,
                                      const sched::MachineModel &model) {
  SmallVector<pipe::FunctionalUnitAttr> units;
  for (const sched::Unit &unit : model.units)
    units.push_back(pipe::FunctionalUnitAttr::get(
        context, unit.name, unit.count,
        static_cast<uint64_t>(std::llround(std::max(1.0, unit.workPerCycle))),
        static_cast<uint64_t>(unit.pipelineLatency)));
  SmallVector<pipe::OpKindAttr> kinds;
  for (const sched::KindBinding &kind : model.kinds) {
    pipe::Completion completion = kind.variableLatency ? pipe::Completion::variable
                                  : kind.asynchronous  ? pipe::Completion::async
                                                       : pipe::Completion::sync;
    kinds.push_back(pipe::OpKindAttr::get(
        context, kind.kind, kind.unit, fromMeasure(kind.measure),
        static_cast<uint64_t>(std::max<int64_t>(1, kind.asyncIssueCycles)),
        static_cast<uint64_t>(kind.extraLatency),
        static_cast<uint64_t>(
            std::llround(std::max(1.0, kind.workMultiplier))),
        completion));
  }
  SmallVector<unsigned> budgets(model.registerBudgets.begin(),
                                model.registerBudgets.end());
  return pipe::MachineAttr::get(
      context, model.name, units, kinds, model.smemBytes, model.tmemColumns,
      model.registerFileSize, model.maxRegsPerThread, model.maxWarpsPerBlock,
      model.warpGroupSize, budgets, model.threadsPerWarp, model.handoffCost);
}

pipe::MachineAttr mlir::weft::lookupMachine(Operation *op) {
  for (Operation *current = op; current; current = current->getParentOp())
    if (auto machine =
            current->getAttrOfType<pipe::MachineAttr>(kMachineAttrName))
      return machine;
  return {};
}
