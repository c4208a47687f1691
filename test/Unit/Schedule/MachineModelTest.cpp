//===- MachineModelTest.cpp - Machine-model presets and cost estimates ----===//

#include "weft/Target/MachineModels.h"

#include <gtest/gtest.h>

using namespace weft;
using namespace weft::schedule;

TEST(MachineModels, EveryKnownNameResolves) {
  ASSERT_EQ(target::knownMachineNames().size(), 6u);
  for (const std::string &name : target::knownMachineNames()) {
    std::optional<MachineModel> m = target::getMachineModel(name);
    ASSERT_TRUE(m.has_value()) << name;
    EXPECT_EQ(m->name, name);
    EXPECT_FALSE(m->units.empty()) << name;
    for (const KindBinding &k : m->kinds)
      EXPECT_GE(m->findUnit(k.unit), 0) << name << " kind " << k.kind;
  }
  EXPECT_FALSE(target::getMachineModel("sm_42").has_value());
}

TEST(MachineModels, HopperCapacities) {
  MachineModel m = target::makeSm90a();
  EXPECT_EQ(m.smemBytes, 227 * 1024);
  EXPECT_EQ(m.registerFileSize, 65536);
  EXPECT_EQ(m.warpGroupSize, 4);
  EXPECT_EQ(m.registerBudgets.front(), 24);
  // setmaxnreg goes to 256, but a thread addresses at most 255 registers.
  EXPECT_EQ(m.registerBudgets.back(), 248);
  EXPECT_LE(m.registerBudgets.back(), m.maxRegsPerThread);
  EXPECT_EQ(m.tmemColumns, 0);
  EXPECT_EQ(target::makeSm100a().tmemColumns, 512);
  EXPECT_TRUE(target::makeSm80().registerBudgets.empty());
}

TEST(MachineModels, CdnaCapacities) {
  MachineModel mi300 = target::makeGfx942();
  MachineModel mi355 = target::makeGfx950();
  EXPECT_EQ(mi300.smemBytes, 64 * 1024);
  EXPECT_EQ(mi355.smemBytes, 160 * 1024);
  for (const MachineModel &m : {mi300, mi355}) {
    EXPECT_EQ(m.threadsPerWarp, 64);
    // A partition is one wave per SIMD, spanning the CU's matrix cores.
    EXPECT_EQ(m.warpGroupSize, 4);
    EXPECT_EQ(m.maxRegsPerThread, 512); // VGPR + AGPR
    EXPECT_TRUE(m.registerBudgets.empty());
  }
  // A 128x128x64 bf16 MFMA step: 2 * 128 * 128 * 64 FLOP at 2048 and 4096
  // FLOP per clock per CU.
  double flops = 2.0 * 128 * 128 * 64;
  EXPECT_EQ(target::estimateCost(mi300, "mma", flops)->occupancy, 1024);
  EXPECT_EQ(target::estimateCost(mi355, "mma", flops)->occupancy, 512);
  // CDNA 4 doubled the transcendental rate.
  EXPECT_EQ(target::estimateCost(mi300, "exp", 8192)->occupancy, 512);
  EXPECT_EQ(target::estimateCost(mi355, "exp", 8192)->occupancy, 256);
}

TEST(MachineModels, EstimateCostFromWork) {
  MachineModel hopper = target::makeSm90a();
  // 128x128x128 bf16 GEMM: 2 * 128^3 FLOP / 4096 FLOP per cycle.
  std::optional<target::OpCost> mma =
      target::estimateCost(hopper, "mma", 2.0 * 128 * 128 * 128);
  ASSERT_TRUE(mma.has_value());
  EXPECT_EQ(mma->occupancy, 1024);
  EXPECT_GT(mma->latency, mma->occupancy);
  EXPECT_LT(mma->issueCycles, mma->occupancy); // wgmma is asynchronous
  EXPECT_FALSE(mma->variableLatency);
  // 128x64 exponentials at 16 per cycle.
  std::optional<target::OpCost> exp = target::estimateCost(hopper, "exp", 8192);
  ASSERT_TRUE(exp.has_value());
  EXPECT_EQ(exp->occupancy, 512);
  EXPECT_EQ(exp->issueCycles, 512); // the warp group executes it
  std::optional<target::OpCost> tma =
      target::estimateCost(hopper, "tma_load", 32768);
  ASSERT_TRUE(tma.has_value());
  EXPECT_TRUE(tma->variableLatency);

  // Blackwell's tensor core is 2.25x Hopper's per SM.
  std::optional<target::OpCost> tc05 =
      target::estimateCost(target::makeSm100a(), "mma", 2.0 * 128 * 128 * 128);
  ASSERT_TRUE(tc05.has_value());
  EXPECT_EQ(tc05->occupancy, 456); // ceil(4194304 / 9216)
  EXPECT_TRUE(tc05->variableLatency);
}

TEST(MachineModels, EstimateCostErrors) {
  std::string error;
  EXPECT_FALSE(
      target::estimateCost(target::makeSm80(), "tma_load", 1024, &error)
          .has_value());
  EXPECT_NE(error.find("tma_load"), std::string::npos);
  EXPECT_FALSE(
      target::estimateCost(target::makeSm90a(), "exp", -1, &error).has_value());
  EXPECT_FALSE(target::makeOp(target::makeGfx942(), "x", "nonsense", 1, &error)
                   .has_value());
}
