//===- PipeAttrTest.cpp - machine and schedule attributes from C++ --------===//
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Parser/Parser.h"
#include "weft/Dialect/Pipe/IR/PipeAttrs.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::weft::pipe;

namespace {
constexpr const char *kHopperLike =
    "#pipe.machine<\"h\", units = [<\"tc\", count = 1>, "
    "<\"sfu\", count = 2>], smem_bytes = 232448, tmem_columns = 0, "
    "register_file = 65536, max_registers = 255, max_warps = 32, "
    "warp_group_size = 4, register_budgets = [24, 240], handoff_cycles = 4>";
} // namespace

TEST(PipeMachineAttr, ParsesAndLooksUpUnits) {
  MLIRContext context;
  context.loadDialect<PipeDialect>();
  auto machine = dyn_cast_or_null<MachineAttr>(parseAttribute(kHopperLike, &context));
  ASSERT_TRUE(machine);
  EXPECT_EQ(machine.getName(), "h");
  ASSERT_TRUE(machine.lookupUnit("sfu"));
  EXPECT_EQ(machine.lookupUnit("sfu").getCount(), 2u);
  EXPECT_FALSE(machine.lookupUnit("tma"));
  EXPECT_EQ(machine.getRegisterBudgets().size(), 2u);
}

TEST(PipeScheduleAttr, RejectsStagesInconsistentWithLength) {
  MLIRContext context;
  context.loadDialect<PipeDialect>();
  context.printOpOnDiagnostic(false);
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  Attribute bad = parseAttribute(
      "#pipe.schedule<ii = 4, lower_bound = 4, proven_optimal = true, "
      "stages = 1, length = 9, ii_cycles = 4, partitions = 1>",
      &context);
  EXPECT_FALSE(bad);
  EXPECT_NE(message.find("ceil(length / ii) = 3"), std::string::npos);
}
