//===- FuseKernels.cpp - graph ops into weft.kernel fusion groups
//----------===//
//
// Decides which graph ops share a kernel. Each group has at most one root
// (a contraction or a reduction) and the cheap ops before and after it whose
// intermediate tensors then never leave registers. The profitability rule is
// spelled out in Passes.td and docs/architecture.md ("Graph fusion"); the
// predicates below implement it clause by clause.
//
//===----------------------------------------------------------------------===//
#include "KernelOutlining.h"
#include "mlir/IR/PatternMatch.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTFUSEKERNELS
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {

/// Ops that contract or reduce: each needs its own loop nest, so two of them
/// never share a kernel here.
bool isRoot(Operation *op) {
  return isa<MatmulOp, QMatmulOp, AttentionOp, LayerNormOp, SoftmaxOp>(op);
}

bool isElementwise(Operation *op) {
  return isa<AddOp, SubOp, MulOp, DivOp, MaxOp, NegOp, ExpOp, ReluOp, SigmoidOp,
             TanhOp, ErfOp, SqrtOp, GeluOp>(op);
}

/// Elementwise ops cheap enough to recompute each time a contraction
/// rereads its operand (ALU only, no transcendental on the SFU).
bool isCheapAlu(Operation *op) {
  return isa<AddOp, SubOp, MulOp, DivOp, MaxOp, NegOp, ReluOp>(op);
}

/// Reshape and transpose move no data inside a kernel: they only change how
/// the kernel addresses its loads or stores.
bool isLayout(Operation *op) { return isa<ReshapeOp, TransposeOp>(op); }

/// Contractions reread each operand once per output tile of the other
/// dimension; normalizations read their input a fixed few times per row.
bool rereadsOperands(Operation *root) {
  return isa<MatmulOp, QMatmulOp, AttentionOp>(root);
}

/// The one op using `value` (possibly in several operands), or null when
/// `value` has no users or more than one.
Operation *getSoleUser(Value value) {
  Operation *sole = nullptr;
  for (Operation *user : value.getUsers()) {
    if (sole && user != sole)
      return nullptr;
    sole = user;
  }
  return sole;
}

class GroupBuilder {
public:
  explicit GroupBuilder(Block &block) : block(block) {}

  /// Forms the groups of `block`, each sorted in program order, groups in
  /// the program order of their first root (or first op).
  SmallVector<SmallVector<Operation *>> build() {
    SmallVector<Operation *> roots;
    for (Operation &op : block)
      if (isRoot(&op))
        roots.push_back(&op);

    // Epilogues first: an op that could be both one group's epilogue and
    // another's prologue goes to its producer, which writes a tensor anyway.
    for (Operation *root : roots) {
      unsigned id = newGroup(root);
      growEpilogue(id, root);
    }
    for (Operation *root : roots)
      growPrologue(groupOf.lookup(root), root);
    // Elementwise chains without a root.
    for (Operation &op : block) {
      if (!isElementwise(&op) || groupOf.contains(&op))
        continue;
      unsigned id = newGroup(&op);
      growEpilogue(id, &op);
      if (groups[id].ops.size() < 2) {
        // A single op gains nothing from fusion; weft-wrap-kernels wraps it.
        groupOf.erase(&op);
        groups[id].ops.clear();
      }
    }

    SmallVector<SmallVector<Operation *>> result;
    for (Group &group : groups) {
      if (group.ops.empty())
        continue;
      llvm::sort(group.ops, [](Operation *a, Operation *b) {
        return a->isBeforeInBlock(b);
      });
      // Keep the op that names the group (root or chain head) first.
      llvm::erase(group.ops, group.anchor);
      group.ops.insert(group.ops.begin(), group.anchor);
      result.push_back(std::move(group.ops));
    }
    llvm::sort(result, [](ArrayRef<Operation *> a, ArrayRef<Operation *> b) {
      return a.front()->isBeforeInBlock(b.front());
    });
    return result;
  }

private:
  struct Group {
    Operation *anchor;
    SmallVector<Operation *> ops;
  };

  unsigned newGroup(Operation *anchor) {
    unsigned id = groups.size();
    groups.push_back({anchor, {anchor}});
    groupOf[anchor] = id;
    return id;
  }

  void add(unsigned id, Operation *op) {
    groups[id].ops.push_back(op);
    groupOf[op] = id;
  }

  /// Profitability rule 1: follow the tail's only user while it is a layout
  /// op, or an elementwise op whose other operands broadcast along the tail
  /// (its result has the tail's type, so nothing is computed per element of
  /// a larger, differently batched tensor).
  void growEpilogue(unsigned id, Operation *op) {
    while (op->getNumResults() == 1) {
      Value tail = op->getResult(0);
      Operation *user = getSoleUser(tail);
      if (!user || user->getBlock() != &block || groupOf.contains(user))
        return;
      bool fusible =
          isLayout(user) || (isElementwise(user) &&
                             user->getResult(0).getType() == tail.getType());
      if (!fusible)
        return;
      add(id, user);
      op = user;
    }
  }

  /// Profitability rule 2: pull in producers of the root's operands whose
  /// every use is in the group, that are layout ops, or elementwise ops
  /// cheap enough for how often the root reads them.
  void growPrologue(unsigned id, Operation *root) {
    llvm::SmallPtrSet<Operation *, 8> members(groups[id].ops.begin(),
                                              groups[id].ops.end());
    SmallVector<Operation *> worklist = {root};
    while (!worklist.empty()) {
      Operation *consumer = worklist.pop_back_val();
      for (Value operand : consumer->getOperands()) {
        Operation *producer = operand.getDefiningOp();
        if (!producer || producer->getBlock() != &block ||
            groupOf.contains(producer))
          continue;
        bool cheapEnough = isLayout(producer) ||
                           (isElementwise(producer) &&
                            (!rereadsOperands(root) || isCheapAlu(producer)));
        if (!cheapEnough)
          continue;
        // A use outside the group would need the producer's result in
        // memory after all (or computed twice).
        bool onlyUsedInGroup =
            llvm::all_of(producer->getUsers(), [&](Operation *user) {
              return members.contains(user);
            });
        if (!onlyUsedInGroup)
          continue;
        add(id, producer);
        members.insert(producer);
        worklist.push_back(producer);
      }
    }
  }

  Block &block;
  SmallVector<Group> groups;
  llvm::DenseMap<Operation *, unsigned> groupOf;
};

struct FuseKernelsPass
    : public weft::impl::WeftFuseKernelsBase<FuseKernelsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    KernelNamer namer(func);
    IRRewriter rewriter(&getContext());
    for (Block &block : func.getBody()) {
      for (SmallVector<Operation *> &ops : GroupBuilder(block).build()) {
        std::string name = namer.next(ops.front()->getName().stripDialect());
        llvm::sort(ops, [](Operation *a, Operation *b) {
          return a->isBeforeInBlock(b);
        });
        // The rules above leave only the last op's result used outside, so
        // outlining cannot fail; if it ever did, the ops stay unfused.
        (void)outlineKernel(rewriter, ops, name);
      }
    }
  }
};
} // namespace
