//===- PackWeights.cpp - compile-time repacking of quantized weights -------===//
//
// Rewrites constant `weft.qmatmul` weights into the byte order the target's
// matrix instruction consumes (see WeftPackWeights in Passes.td and the
// presets in Utils/PackedLayout.h). The packed constant's type carries the
// layout as a `#weft.packed` encoding, so later lowering knows how to load
// and dequantize it.
//
//===----------------------------------------------------------------------===//
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "weft/Dialect/Weft/IR/WeftAttrs.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"
#include "weft/Dialect/Weft/Utils/PackedLayout.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTPACKWEIGHTS
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

/// The weight's logical values, row-major, or std::nullopt when the constant
/// holds them in a form we do not read (then the weight is left unpacked).
static std::optional<std::vector<int64_t>>
readIntegerConstant(ElementsAttr value, IntegerType elementType) {
  std::vector<int64_t> values;
  values.reserve(value.getNumElements());
  if (auto dense = dyn_cast<DenseIntElementsAttr>(value)) {
    for (const APInt &element : dense.getValues<APInt>())
      values.push_back(elementType.isUnsigned() ? element.getZExtValue()
                                                : element.getSExtValue());
    return values;
  }
  // The ONNX importer writes large weights as blobs of one byte per element
  // (also for sub-byte types); pack() keeps only the low bits of each.
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    ArrayRef<char> data = blob->getData();
    if (static_cast<int64_t>(data.size()) != value.getNumElements())
      return std::nullopt;
    for (char byte : data)
      values.push_back(elementType.isUnsigned()
                           ? int64_t(static_cast<uint8_t>(byte))
                           : int64_t(static_cast<int8_t>(byte)));
    return values;
  }
  return std::nullopt;
}

namespace {
struct PackWeightsPass
    : public weft::impl::WeftPackWeightsBase<PackWeightsPass> {
  using WeftPackWeightsBase::WeftPackWeightsBase;

  void runOnOperation() override {
    bool failedAny = false;
    getOperation().walk([&](QMatmulOp qmatmul) {
      if (failed(packWeightOf(qmatmul)))
        failedAny = true;
    });
    if (failedAny)
      signalPassFailure();
  }

  /// Packs `qmatmul`'s weight when it is a constant; failure only for a real
  /// error (a remark alone leaves the op unchanged).
  LogicalResult packWeightOf(QMatmulOp qmatmul) {
    auto weightType = cast<RankedTensorType>(qmatmul.getWeight().getType());
    if (weightType.getEncoding())
      return success(); // already packed
    auto elementType = dyn_cast<IntegerType>(weightType.getElementType());
    if (!elementType) {
      // fp8 / fp4 codes: the layouts are defined for integer elements.
      qmatmul.emitRemark("weight of element type ")
          << weightType.getElementType()
          << " has no packed layout yet; left unpacked";
      return success();
    }

    // Inside a kernel the weight arrives as a block argument standing for a
    // kernel input: follow it out to the constant.
    OpOperand *kernelInput = nullptr;
    Value source = qmatmul.getWeight();
    if (auto argument = dyn_cast<BlockArgument>(source)) {
      if (auto kernel = dyn_cast<KernelOp>(argument.getOwner()->getParentOp())) {
        // Retyping the argument must not change what other ops see.
        for (OpOperand &use : argument.getUses())
          if (!isa<QMatmulOp>(use.getOwner()) || use.getOperandNumber() != 1) {
            qmatmul.emitRemark("kernel weight argument has users other than "
                               "qmatmul weights; left unpacked");
            return success();
          }
        kernelInput = &kernel->getOpOperand(argument.getArgNumber());
        source = kernelInput->get();
      }
    }
    auto constant = source.getDefiningOp<arith::ConstantOp>();
    if (!constant) {
      qmatmul.emitRemark("weight is not a compile-time constant; left "
                         "unpacked for the runtime to pack at load time");
      return success();
    }
    auto values =
        readIntegerConstant(cast<ElementsAttr>(constant.getValue()), elementType);
    if (!values) {
      qmatmul.emitRemark("weight constant is not dense integer data; left "
                         "unpacked");
      return success();
    }

    std::string why;
    std::optional<packing::PackedLayout> layout = packing::presetForTarget(
        target, weightType.getDimSize(0), weightType.getDimSize(1),
        elementType.getWidth(), !elementType.isUnsigned(), why);
    if (!layout)
      return qmatmul.emitError() << why;

    std::vector<uint8_t> bytes = layout->pack(*values);
    auto encoding = PackedLayoutAttr::get(elementType, *layout);
    auto packedType = RankedTensorType::get(
        {layout->numTiles(), layout->bytesPerTile()},
        IntegerType::get(&getContext(), 8), encoding);
    auto data = DenseElementsAttr::getFromRawBuffer(
        packedType, ArrayRef<char>(reinterpret_cast<const char *>(bytes.data()),
                                   bytes.size()));

    // A fresh constant next to the old one: other users of the logical
    // weight (if any) keep it; an unused one is left to DCE / canonicalize.
    OpBuilder builder(constant);
    auto packed =
        arith::ConstantOp::create(builder, constant.getLoc(), packedType, data);
    if (kernelInput) {
      auto kernel = cast<KernelOp>(kernelInput->getOwner());
      kernelInput->set(packed);
      kernel.getBody()
          .front()
          .getArgument(kernelInput->getOperandNumber())
          .setType(packedType);
    } else {
      qmatmul.getWeightMutable().assign(packed);
    }
    if (constant->use_empty())
      constant->erase();
    return success();
  }
};
} // namespace
