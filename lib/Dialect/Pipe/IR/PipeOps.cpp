//===- PipeOps.cpp - pipe ops ----------------------------------------------===//
#include "weft/Dialect/Pipe/IR/PipeOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::weft::pipe;

static constexpr int64_t kThreadsPerWarp = 32;

LogicalResult WarpSpecializeOp::verifyRegions() {
  int64_t totalWarps = 0, totalRegisters = 0, partitions = 0;
  for (Operation &op : getBody().front()) {
    auto partition = dyn_cast<PartitionOp>(op);
    if (!partition)
      return op.emitOpError("is not a pipe.partition; only partitions may "
                            "appear in a pipe.warp_specialize");
    ++partitions;
    totalWarps += partition.getWarps();
    if (std::optional<uint32_t> regs = partition.getRegisters())
      totalRegisters += int64_t(partition.getWarps()) * kThreadsPerWarp * *regs;
  }
  if (partitions == 0)
    return emitOpError("needs at least one partition");
  MachineAttr machine = getMachineAttr();
  if (!machine)
    return success();
  if (totalWarps > machine.getMaxWarps())
    return emitOpError("partitions use ")
           << totalWarps << " warps but machine '" << machine.getName()
           << "' allows " << machine.getMaxWarps();
  if (totalRegisters > static_cast<int64_t>(machine.getRegisterFile()))
    return emitOpError("partitions need ")
           << totalRegisters << " registers but machine '" << machine.getName()
           << "' has " << machine.getRegisterFile();
  return success();
}

LogicalResult PartitionOp::verify() {
  std::optional<uint32_t> regs = getRegisters();
  if (!regs)
    return success();
  auto parent = cast<WarpSpecializeOp>((*this)->getParentOp());
  MachineAttr machine = parent.getMachineAttr();
  if (!machine)
    return success();
  ArrayRef<unsigned> budgets = machine.getRegisterBudgets();
  if (budgets.empty())
    return emitOpError("machine '")
           << machine.getName()
           << "' has no per-partition register budgets; drop `registers`";
  if (!llvm::is_contained(budgets, *regs))
    return emitOpError("register budget ")
           << *regs << " is not one of machine '" << machine.getName()
           << "' budgets [" << budgets << "]";
  return success();
}

#define GET_OP_CLASSES
#include "weft/Dialect/Pipe/IR/PipeOps.cpp.inc"
