//===- ShapeInferenceTest.cpp - weft shape inference from C++ builders ----===//
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "weft/Dialect/Utils/ShapeUtils.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
class WeftShapeInference : public ::testing::Test {
protected:
  WeftShapeInference() : builder(&context) {
    context.loadDialect<WeftDialect, func::FuncDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToEnd(module->getBody());
  }

  /// A value of `type`, as the argument of a fresh function.
  Value argument(Type type) {
    auto func = func::FuncOp::create(builder, builder.getUnknownLoc(), "f",
                                     builder.getFunctionType({type}, {}));
    Block *entry = func.addEntryBlock();
    builder.setInsertionPointToEnd(entry);
    return entry->getArgument(0);
  }

  RankedTensorType tensor(ArrayRef<int64_t> shape, Type element = nullptr) {
    return RankedTensorType::get(shape, element ? element : builder.getF32Type());
  }

  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
};
} // namespace

TEST_F(WeftShapeInference, MatmulBroadcastsBatchDimensions) {
  Value a = argument(tensor({2, 1, 64, 32}));
  Value b = argument(tensor({3, 32, 16}));
  auto mm = MatmulOp::create(builder, builder.getUnknownLoc(), a, b);
  EXPECT_EQ(mm.getType(), tensor({2, 3, 64, 16}));
}

TEST_F(WeftShapeInference, BinaryOpBroadcastsNumpyStyle) {
  Value a = argument(tensor({4, 1, 8}));
  Value b = argument(tensor({5, 1}));
  auto add = AddOp::create(builder, builder.getUnknownLoc(), a, b);
  EXPECT_EQ(add.getType(), tensor({4, 5, 8}));
}

TEST_F(WeftShapeInference, DynamicDimensionsPropagate) {
  Value a = argument(tensor({ShapedType::kDynamic, 32}));
  Value b = argument(tensor({32, 16}));
  auto mm = MatmulOp::create(builder, builder.getUnknownLoc(), a, b);
  EXPECT_EQ(mm.getType(), tensor({ShapedType::kDynamic, 16}));
}

TEST_F(WeftShapeInference, QMatmulTakesTheActivationType) {
  Type f16 = builder.getF16Type();
  Value x = argument(tensor({16, 256}, f16));
  Value w = argument(tensor({256, 64}, builder.getIntegerType(4)));
  Value s = argument(tensor({2, 64}, f16));
  auto mm = QMatmulOp::create(builder, builder.getUnknownLoc(), x, w, s,
                              /*zero_point=*/Value(), /*block_size=*/128);
  EXPECT_EQ(mm.getType(), tensor({16, 64}, f16));
}

TEST_F(WeftShapeInference, InferenceFailureIsADiagnosticNotACrash) {
  Value a = argument(tensor({64, 32}));
  Value b = argument(tensor({31, 16}));
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  SmallVector<Type> results;
  MatmulOp::Adaptor adaptor(ValueRange{a, b});
  EXPECT_TRUE(failed(MatmulOp::inferReturnTypes(
      &context, builder.getUnknownLoc(), adaptor, results)));
  EXPECT_NE(message.find("contraction dimensions differ"), std::string::npos);
}

TEST(WeftShapeUtils, NormalizeAxis) {
  EXPECT_EQ(normalizeAxis(-1, 3), 2);
  EXPECT_EQ(normalizeAxis(0, 3), 0);
  EXPECT_EQ(normalizeAxis(3, 3), std::nullopt);
  EXPECT_EQ(normalizeAxis(-4, 3), std::nullopt);
}
