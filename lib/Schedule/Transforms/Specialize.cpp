//===- Specialize.cpp - weft-specialize ------------------------------------===//
//
// Splits a scheduled loop into one loop per warp group, connected by
// channels. Each partition keeps the ops the schedule placed on it (with
// their placements, so the stage structure survives), rematerializes the free
// ops it needs (index math, constants), and exchanges values with the other
// partitions through pipe.put / pipe.get / pipe.release. On a machine with
// tensor memory (sm_100a), channels carrying tensor-core accumulators live
// there, as far as its capacity allows.
//
//===----------------------------------------------------------------------===//
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "weft/Dialect/Pipe/IR/PipeOps.h"
#include "weft/Dialect/Tile/IR/TileOps.h"
#include "weft/Schedule/MachineModelAttr.h"
#include "weft/Schedule/Passes.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTSPECIALIZE
#include "weft/Schedule/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
/// A value computed in one partition and read in others: one channel,
/// filled once, read by every consumer partition.
struct Crossing {
  Value value;
  unsigned producer;
  llvm::SmallSetVector<unsigned, 4> consumers;
  int64_t depth;
  pipe::MemorySpace space = pipe::MemorySpace::shared;
  Value channel;
  bool readBy(unsigned partition) const {
    return consumers.contains(partition);
  }
};

class LoopSpecializer {
public:
  LoopSpecializer(scf::ForOp loop, pipe::ScheduleAttr schedule,
                  ArrayAttr groups)
      : loop(loop), schedule(schedule), groups(groups) {}

  LogicalResult run();

private:
  /// The partition an op of the body runs in, or nothing for free ops.
  std::optional<unsigned> partitionOf(Operation *op) const {
    if (auto placement =
            op->getAttrOfType<pipe::PlacementAttr>(pipe::kPlacementAttrName))
      return static_cast<unsigned>(placement.getPartition());
    return std::nullopt;
  }
  int64_t buffersOf(Operation *op) const {
    if (auto placement =
            op->getAttrOfType<pipe::PlacementAttr>(pipe::kPlacementAttrName))
      return placement.getBuffers();
    return 1;
  }
  /// The partition that computes `value` in the body (the owner of a
  /// loop-carried value is the one computing its next iteration).
  std::optional<unsigned> ownerOf(Value value) const;

  /// Records that `consumer` reads `value`, computed by `producer`.
  void noteCrossing(Value value, unsigned producer, unsigned consumer,
                    int64_t depth);
  /// Whether `value` is a tensor-core accumulator: a tile.dot result, the
  /// accumulator operand of a tile.dot, or an iter_arg whose next value a
  /// tile.dot computes.
  bool isAccumulator(Value value) const;
  /// The 32-bit tensor-memory cells (lanes x columns) a channel of `c`
  /// takes, or nothing when its payload cannot live in tensor memory.
  std::optional<int64_t> tensorMemoryCells(const Crossing &c) const;
  /// Moves the accumulator crossings to tensor memory, in the order they
  /// were found, while the machine's tensor memory has room for them.
  void placeAccumulators(pipe::MachineAttr machine);
  /// Creates the channels of every recorded crossing at `builder`.
  void createChannels(OpBuilder &builder);

  mutable scf::ForOp loop;
  pipe::ScheduleAttr schedule;
  ArrayAttr groups;
  SmallVector<Crossing> crossings;
};
} // namespace

std::optional<unsigned> LoopSpecializer::ownerOf(Value value) const {
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    if (arg.getOwner() != loop.getBody() || arg.getArgNumber() == 0)
      return std::nullopt;
    Value next =
        loop.getBody()->getTerminator()->getOperand(arg.getArgNumber() - 1);
    if (next == value)
      return std::nullopt;
    return ownerOf(next);
  }
  Operation *def = value.getDefiningOp();
  if (!def || def->getBlock() != loop.getBody())
    return std::nullopt;
  return partitionOf(def);
}

void LoopSpecializer::noteCrossing(Value value, unsigned producer,
                                   unsigned consumer, int64_t depth) {
  for (Crossing &c : crossings)
    if (c.value == value) {
      c.consumers.insert(consumer);
      return;
    }
  Crossing crossing{value, producer, {}, std::max<int64_t>(1, depth),
                    pipe::MemorySpace::shared, {}};
  crossing.consumers.insert(consumer);
  crossings.push_back(std::move(crossing));
}

bool LoopSpecializer::isAccumulator(Value value) const {
  if (value.getDefiningOp<tile::DotOp>())
    return true;
  for (OpOperand &use : value.getUses())
    if (auto dot = dyn_cast<tile::DotOp>(use.getOwner()))
      if (use.get() == dot.getAcc())
        return true;
  if (auto arg = dyn_cast<BlockArgument>(value))
    if (arg.getOwner() == loop.getBody() && arg.getArgNumber() > 0)
      return loop.getBody()
          ->getTerminator()
          ->getOperand(arg.getArgNumber() - 1)
          .getDefiningOp<tile::DotOp>();
  return false;
}

/// Lanes of tensor memory: one per accumulator row.
static constexpr int64_t kTensorMemoryLanes = 128;

std::optional<int64_t>
LoopSpecializer::tensorMemoryCells(const Crossing &c) const {
  auto tile = dyn_cast<RankedTensorType>(c.value.getType());
  if (!tile || tile.getRank() != 2 || !tile.hasStaticShape() ||
      tile.getElementTypeBitWidth() != 32)
    return std::nullopt;
  // A tcgen05 accumulator of one CTA has 64 or 128 rows; a 64-row one takes
  // half the lanes, so two of them share columns.
  int64_t rows = tile.getDimSize(0);
  if (rows != 64 && rows != kTensorMemoryLanes)
    return std::nullopt;
  return rows * tile.getDimSize(1) * c.depth;
}

void LoopSpecializer::placeAccumulators(pipe::MachineAttr machine) {
  if (!machine || machine.getTmemColumns() == 0)
    return;
  int64_t freeCells =
      static_cast<int64_t>(machine.getTmemColumns()) * kTensorMemoryLanes;
  // Accumulators carried by the loop of a single partition (a GEMM's K loop)
  // stay in tensor memory there; the channels get what they leave. An
  // accumulator that crosses lives in its channel's slots.
  auto crosses = [&](Value value) {
    return llvm::any_of(crossings,
                        [&](const Crossing &c) { return c.value == value; });
  };
  for (auto [arg, next] :
       llvm::zip(loop.getRegionIterArgs(),
                 loop.getBody()->getTerminator()->getOperands()))
    if (isAccumulator(arg) && !crosses(arg) && !crosses(next))
      if (auto tile = dyn_cast<RankedTensorType>(arg.getType());
          tile && tile.hasStaticShape() && tile.getRank() == 2)
        freeCells -= kTensorMemoryLanes * tile.getDimSize(1);
  for (Crossing &c : crossings) {
    if (!isAccumulator(c.value))
      continue;
    std::optional<int64_t> cells = tensorMemoryCells(c);
    if (!cells || *cells > freeCells)
      continue;
    c.space = pipe::MemorySpace::tensor;
    freeCells -= *cells;
  }
}

void LoopSpecializer::createChannels(OpBuilder &builder) {
  for (Crossing &c : crossings) {
    auto type = pipe::ChannelType::get(
        c.value.getContext(), c.value.getType(),
        static_cast<unsigned>(c.depth), c.space,
        static_cast<unsigned>(c.consumers.size()));
    c.channel = pipe::CreateChannelOp::create(builder, c.value.getLoc(), type)
                    .getResult();
  }
}

LogicalResult LoopSpecializer::run() {
  Block *body = loop.getBody();
  auto yield = cast<scf::YieldOp>(body->getTerminator());
  unsigned numGroups = std::max<unsigned>(1, groups.size());

  // Every op with an effect must have a home; free ops are copied where
  // needed.
  for (Operation &op : body->without_terminator()) {
    std::optional<unsigned> p = partitionOf(&op);
    if (p && *p >= numGroups)
      return op.emitError("placed on partition ")
             << *p << " but the schedule has " << numGroups;
    if (!p && !isMemoryEffectFree(&op))
      return op.emitError("has side effects but no pipe.placement; run "
                          "weft-schedule first");
    if (!p && op.getNumRegions() != 0)
      return op.emitError("nested regions in a scheduled loop are not "
                          "supported by weft-specialize");
  }

  OpBuilder builder(loop);
  Location loc = loop.getLoc();

  // Free ops are copied into the partitions that use them (directly or
  // through other free ops), and the yields of the iter_args they own.
  // SetVectors: channels are created in the order crossings are found.
  SmallVector<llvm::SetVector<Operation *>> neededBy(numGroups);
  for (unsigned p = 0; p < numGroups; ++p) {
    llvm::SetVector<Operation *> &needed = neededBy[p];
    std::function<void(Value)> need = [&](Value value) {
      if (Operation *def = value.getDefiningOp())
        if (def->getBlock() == body && !partitionOf(def) &&
            needed.insert(def))
          for (Value operand : def->getOperands())
            need(operand);
    };
    for (Operation &op : body->without_terminator())
      if (partitionOf(&op) == std::optional<unsigned>(p))
        for (Value operand : op.getOperands())
          need(operand);
    for (auto [i, arg] : llvm::enumerate(loop.getRegionIterArgs())) {
      std::optional<unsigned> owner = ownerOf(arg);
      if (owner ? *owner == p : p == 0)
        need(yield.getOperand(i));
    }
  }

  // Channels are created before the partitions, in the parent region.
  // Values a free op copied into partition p reads from another partition
  // (a layout op between a load and its consumer) cross to p as well:
  for (unsigned p = 0; p < numGroups; ++p)
    for (Operation *op : neededBy[p])
      for (Value operand : op->getOperands())
        if (std::optional<unsigned> owner = ownerOf(operand);
            owner && *owner != p)
          noteCrossing(operand, *owner, p,
                       isa<BlockArgument>(operand)
                           ? 2
                           : buffersOf(operand.getDefiningOp()));
  // Body values used across partitions:
  for (Operation &op : body->without_terminator()) {
    std::optional<unsigned> p = partitionOf(&op);
    if (!p)
      continue;
    for (Value result : op.getResults())
      for (Operation *user : result.getUsers()) {
        std::optional<unsigned> q = partitionOf(user);
        if (user->getBlock() == body && q && *q != *p)
          noteCrossing(result, *p, *q, buffersOf(&op));
      }
  }
  // Loop-carried values read by a partition other than their owner.
  for (BlockArgument arg : loop.getRegionIterArgs()) {
    std::optional<unsigned> owner = ownerOf(arg);
    if (!owner)
      continue;
    for (Operation *user : arg.getUsers()) {
      std::optional<unsigned> q = partitionOf(user);
      if (q && *q != *owner)
        noteCrossing(arg, *owner, *q, 2);
    }
  }
  pipe::MachineAttr machine = lookupMachine(loop);
  placeAccumulators(machine);
  createChannels(builder);
  // Loop results leave through their owner.
  SmallVector<Value> resultChannels(loop.getNumResults());
  for (auto [i, result] : llvm::enumerate(loop.getResults())) {
    if (result.use_empty())
      continue;
    std::optional<unsigned> owner = ownerOf(loop.getRegionIterArgs()[i]);
    auto type = pipe::ChannelType::get(loop.getContext(), result.getType(), 1,
                                       pipe::MemorySpace::shared, 1);
    resultChannels[i] =
        pipe::CreateChannelOp::create(builder, loc, type).getResult();
    (void)owner;
  }

  auto ws = pipe::WarpSpecializeOp::create(builder, loc, machine);
  Block *wsBody = new Block();
  ws.getBody().push_back(wsBody);

  for (unsigned p = 0; p < numGroups; ++p) {
    auto group = p < groups.size() ? dyn_cast<pipe::GroupAttr>(groups[p])
                                   : pipe::GroupAttr();
    pipe::PartitionRole role =
        group ? group.getRole() : pipe::PartitionRole::consumer;
    IntegerAttr registers;
    if (group && machine && !machine.getRegisterBudgets().empty()) {
      // A schedule that is not proven (time-out fallback) may carry a budget
      // the machine does not have; the partition then keeps the launch's.
      if (llvm::is_contained(machine.getRegisterBudgets(),
                             static_cast<unsigned>(group.getRegisters())))
        registers = builder.getI32IntegerAttr(group.getRegisters());
      else
        loop.emitWarning("partition ")
            << p << " has register budget " << group.getRegisters()
            << ", which machine '" << machine.getName()
            << "' cannot set; leaving it to the launch";
    }
    unsigned warps = machine ? machine.getWarpGroupSize() : 4;
    OpBuilder wsBuilder = OpBuilder::atBlockEnd(wsBody);
    auto partition = pipe::PartitionOp::create(
        wsBuilder, loc, pipe::PartitionRoleAttr::get(loop.getContext(), role), wsBuilder.getI32IntegerAttr(warps), registers);
    Block *pBody = new Block();
    partition.getBody().push_back(pBody);
    OpBuilder pb = OpBuilder::atBlockEnd(pBody);

    // Iter_args this partition owns; the values other partitions read from
    // it start with the init value, put before the loop.
    SmallVector<unsigned> owned;
    for (auto [i, arg] : llvm::enumerate(loop.getRegionIterArgs())) {
      std::optional<unsigned> owner = ownerOf(arg);
      if (owner ? *owner == p : p == 0)
        owned.push_back(i);
    }
    for (unsigned i : owned)
      for (const Crossing &c : crossings)
        if (c.value == loop.getRegionIterArgs()[i] && c.producer == p)
          pipe::PutOp::create(pb, loc, loop.getInitArgs()[i], c.channel);

    SmallVector<Value> inits;
    for (unsigned i : owned)
      inits.push_back(loop.getInitArgs()[i]);
    auto clone = scf::ForOp::create(pb, loc, loop.getLowerBound(),
                                    loop.getUpperBound(), loop.getStep(),
                                    inits);
    if (!clone.getBody()->empty())
      clone.getBody()->getTerminator()->erase();
    IRMapping mapping;
    mapping.map(loop.getInductionVar(), clone.getInductionVar());
    for (auto [k, i] : llvm::enumerate(owned))
      mapping.map(loop.getRegionIterArgs()[i], clone.getRegionIterArgs()[k]);

    OpBuilder lb = OpBuilder::atBlockEnd(clone.getBody());
    // Received values: get before the first use, release after the last.
    llvm::MapVector<Value, Operation *> lastUse;
    for (Operation &op : body->without_terminator()) {
      std::optional<unsigned> q = partitionOf(&op);
      // Only ops this partition copies: a release after a free op that
      // another partition copies would never be emitted.
      if (q ? *q != p : !neededBy[p].contains(&op))
        continue;
      for (Value operand : op.getOperands())
        for (const Crossing &c : crossings)
          if (c.value == operand && c.readBy(p))
            lastUse[operand] = &op;
    }
    const llvm::SetVector<Operation *> &needed = neededBy[p];

    for (Operation &op : body->without_terminator()) {
      std::optional<unsigned> q = partitionOf(&op);
      if (q ? *q != p : !needed.contains(&op))
        continue;
      for (Value operand : op.getOperands()) {
        if (mapping.contains(operand))
          continue;
        for (const Crossing &c : crossings)
          if (c.value == operand && c.readBy(p))
            mapping.map(operand, pipe::GetOp::create(lb, op.getLoc(),
                                                     operand.getType(),
                                                     c.channel)
                                     .getResult());
      }
      Operation *copy = lb.clone(op, mapping);
      for (const Crossing &c : crossings)
        if (c.producer == p)
          for (auto [orig, now] :
               llvm::zip(op.getResults(), copy->getResults()))
            if (c.value == orig)
              pipe::PutOp::create(lb, op.getLoc(), now, c.channel);
      for (auto [value, last] : lastUse)
        if (last == &op)
          for (const Crossing &c : crossings)
            if (c.value == value && c.readBy(p))
              pipe::ReleaseOp::create(lb, op.getLoc(), c.channel);
    }
    SmallVector<Value> yielded;
    for (unsigned i : owned) {
      Value next = mapping.lookupOrDefault(yield.getOperand(i));
      yielded.push_back(next);
      for (const Crossing &c : crossings)
        if (c.value == loop.getRegionIterArgs()[i] && c.producer == p)
          pipe::PutOp::create(lb, loc, next, c.channel);
    }
    scf::YieldOp::create(lb, loc, yielded);
    clone->setAttrs(loop->getAttrs());

    for (auto [k, i] : llvm::enumerate(owned))
      if (resultChannels[i])
        pipe::PutOp::create(pb, loc, clone.getResult(k), resultChannels[i]);
  }

  // Results are read after the partitions join and their slots released at
  // the end of the block, after every use of the value read.
  builder.setInsertionPointAfter(ws);
  OpBuilder atEnd(ws->getBlock()->getTerminator());
  for (auto [i, channel] : llvm::enumerate(resultChannels)) {
    if (!channel)
      continue;
    Value result =
        pipe::GetOp::create(builder, loc, loop.getResult(i).getType(), channel)
            .getResult();
    pipe::ReleaseOp::create(atEnd, loc, channel);
    loop.getResult(i).replaceAllUsesWith(result);
  }
  loop.erase();
  return success();
}

namespace {
struct SpecializePass
    : public mlir::weft::impl::WeftSpecializeBase<SpecializePass> {
  void runOnOperation() override {
    SmallVector<scf::ForOp> loops;
    getOperation().walk([&](scf::ForOp loop) {
      if (loop->hasAttr(pipe::kScheduleAttrName))
        loops.push_back(loop);
    });
    for (scf::ForOp loop : loops) {
      auto schedule =
          loop->getAttrOfType<pipe::ScheduleAttr>(pipe::kScheduleAttrName);
      auto groups = loop->getAttrOfType<ArrayAttr>("pipe.groups");
      if (!schedule || !groups) {
        loop.emitError("needs a #pipe.schedule and pipe.groups; run "
                       "weft-schedule first");
        return signalPassFailure();
      }
      if (failed(LoopSpecializer(loop, schedule, groups).run()))
        return signalPassFailure();
    }
  }
};
} // namespace
