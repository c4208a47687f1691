//===- MachineModels.cpp - NVIDIA machine-model presets ------------------===//
//
// Per-SM numbers. Sources:
//  [A100]  NVIDIA A100 Tensor Core GPU Architecture whitepaper (2020): 108 SMs,
//          1410 MHz boost, 312 TFLOP/s dense BF16, 164 KB shared memory per SM
//          (163 KB per block), 64K 32-bit registers per SM, 64 FP32 lanes/SM.
//  [H100]  NVIDIA H100 Tensor Core GPU Architecture whitepaper (2022): SXM5
//          132 SMs, 989.4 TFLOP/s dense BF16 (at the 1830 MHz boost used for
//          the spec), 228 KB shared memory per SM (227 KB per block), 64K
//          registers per SM, 128 FP32 lanes/SM.
//  [CUDA]  CUDA C++ Programming Guide, "Arithmetic Instructions" throughput
//          table: 16 results/clock/SM for MUFU (ex2, rsqrt) on cc 8.x-10.x;
//          "Compute capabilities" table: 1024 threads per block, 255
//          registers per thread.
//  [PTX]   PTX ISA 8.x: setmaxnreg takes 24..256 in steps of 8 and applies to a
//          whole warpgroup (4 warps); tcgen05 tensor memory is 512 columns x
//          128 lanes x 32 bit per CTA pair slice.
//  [B200]  NVIDIA Blackwell architecture technical brief: tcgen05 dense
//          tensor throughput per SM 2.25x Hopper's; SFU rate unchanged.
// Numbers marked "estimate" are not published and are set from
// microbenchmark folklore; they only shape costs, not correctness.
//
//===----------------------------------------------------------------------===//

#include "weft/Target/MachineModels.h"

using namespace weft;
using namespace weft::schedule;

namespace {
std::vector<int64_t> setmaxnregValues() {
  std::vector<int64_t> values;
  // setmaxnreg accepts 24..256 in steps of 8 [PTX], but a thread addresses
  // at most 255 registers [CUDA], so 248 is the largest usable budget.
  for (int64_t r = 24; r <= 248; r += 8)
    values.push_back(r);
  return values;
}

/// Kinds shared by every NVIDIA target.
void addCommonKinds(MachineModel &m) {
  // Exponentials go to the MUFU (SFU); a 128-row fp32 tile is thousands of
  // elements, so pipeline latency is small next to occupancy.
  m.kinds.push_back({"exp", "sfu", WorkMeasure::Elements, false, false, 1, 0});
  m.kinds.push_back({"alu", "alu", WorkMeasure::Elements, false, false, 1, 0});
  // Row reductions: FP32 ops plus a few warp shuffles (estimate 24 cycles).
  m.kinds.push_back(
      {"reduce", "alu", WorkMeasure::Elements, false, false, 1, 24});
  m.kinds.push_back(
      {"convert", "alu", WorkMeasure::Elements, false, false, 1, 0});
  // exp2 emulated on the FMA pipe (FA4): Cody-Waite range reduction, a
  // degree-3 polynomial and an exponent add, ~8 FP32 ops per element.
  m.kinds.push_back(
      {"exp_poly", "alu", WorkMeasure::Elements, false, false, 1, 0, 8.0});
}
} // namespace

MachineModel target::makeSm80() {
  MachineModel m;
  m.name = "sm_80";
  m.clockGHz = 1.41;      // [A100]
  m.processorCount = 108; // [A100]
  // 312e12 / (108 * 1.41e9) = 2049 dense BF16 FLOP per cycle per SM [A100].
  m.units.push_back({"tensor", 1, 2048.0, 32});
  m.units.push_back({"sfu", 1, 16.0, 16}); // [CUDA]
  m.units.push_back({"alu", 1, 64.0, 8});  // 64 FP32 lanes [A100]
  // cp.async global -> shared, L2 bandwidth share per SM (estimate).
  m.units.push_back({"async_copy", 1, 64.0, 0});
  // mma.sync is executed by the issuing warps: they are busy for its whole
  // duration (no asynchronous issue on Ampere).
  m.kinds.push_back({"mma", "tensor", WorkMeasure::Flops, false, false, 1, 0});
  // cp.async completes through cp.async.wait_group in the issuing warps, so
  // it is asynchronous but not a cross-warp producer (no TMA on sm_80).
  m.kinds.push_back(
      {"cp_async", "async_copy", WorkMeasure::Bytes, false, true, 4, 500});
  addCommonKinds(m);
  m.smemBytes = 163 * 1024; // per block [A100]
  m.tmemColumns = 0;
  m.registerFileSize = 64 * 1024; // [A100]
  m.maxRegsPerThread = 255;       // [CUDA]
  m.maxWarpsPerBlock = 32;        // 1024 threads [CUDA]
  m.threadsPerWarp = 32;
  m.warpGroupSize = 4;
  m.registerBudgets = {}; // no setmaxnreg before sm_90a [PTX]
  m.handoffCost = 80;     // bar.sync + shared memory (estimate)
  return m;
}

MachineModel target::makeSm90a() {
  MachineModel m;
  m.name = "sm_90a";
  m.clockGHz = 1.83;      // [H100]
  m.processorCount = 132; // [H100]
  // 989.4e12 / (132 * 1.83e9) = 4096 dense BF16 FLOP per cycle per SM; wgmma
  // pipeline latency beyond throughput ~64 cycles (estimate).
  m.units.push_back({"tensor", 1, 4096.0, 64});
  m.units.push_back({"sfu", 1, 16.0, 16}); // MUFU.EX2 16/clk/SM [CUDA]
  m.units.push_back({"alu", 1, 128.0, 8}); // 128 FP32 lanes/SM [H100]
  // TMA: per-SM share of L2 bandwidth when K/V tiles hit in L2 (estimate
  // 64 B/clk); miss latency ~600 cycles (estimate).
  m.units.push_back({"tma", 1, 64.0, 0});
  // wgmma is issued asynchronously by a warpgroup (8 instructions for
  // K = 128 at k16) and waited on with wgmma.wait_group.
  m.kinds.push_back({"mma", "tensor", WorkMeasure::Flops, false, true, 8, 0});
  // TMA completes on an mbarrier with a data-dependent latency: a
  // variable-latency op issued by one elected thread.
  m.kinds.push_back(
      {"tma_load", "tma", WorkMeasure::Bytes, true, true, 2, 600});
  m.kinds.push_back(
      {"tma_store", "tma", WorkMeasure::Bytes, false, true, 2, 0});
  addCommonKinds(m);
  m.smemBytes = 227 * 1024; // per block [H100]
  m.tmemColumns = 0;
  m.registerFileSize = 64 * 1024; // [H100]
  m.maxRegsPerThread = 255;       // [CUDA]
  m.maxWarpsPerBlock = 32;        // [CUDA]
  m.threadsPerWarp = 32;
  m.warpGroupSize = 4; // [PTX] wgmma / setmaxnreg granularity
  m.registerBudgets = setmaxnregValues();
  m.handoffCost = 64; // mbarrier arrive -> try_wait (estimate)
  return m;
}

MachineModel target::makeSm100a() {
  MachineModel m;
  m.name = "sm_100a";
  m.clockGHz = 1.85;      // estimate (B200 boost)
  m.processorCount = 148; // [B200]
  // tcgen05: 2.25 x 4096 = 9216 dense BF16 FLOP per cycle per SM [B200].
  m.units.push_back({"tensor", 1, 9216.0, 64});
  m.units.push_back({"sfu", 1, 16.0, 16}); // unchanged from Hopper [B200]
  m.units.push_back({"alu", 1, 128.0, 8});
  // Estimate: 128 B/clk per SM; cta_group::2 MMAs share operand tiles
  // between an SM pair, halving per-SM operand traffic relative to Hopper.
  m.units.push_back({"tma", 1, 128.0, 0});
  // tcgen05.mma is issued by a single thread and completes asynchronously
  // into tensor memory; completion is only observable through
  // tcgen05.commit -> mbarrier, so consumers wait like on TMA: a
  // variable-latency op with its own issuing warp.
  m.kinds.push_back({"mma", "tensor", WorkMeasure::Flops, true, true, 2, 0});
  m.kinds.push_back(
      {"tma_load", "tma", WorkMeasure::Bytes, true, true, 2, 600});
  m.kinds.push_back(
      {"tma_store", "tma", WorkMeasure::Bytes, false, true, 2, 0});
  addCommonKinds(m);
  m.smemBytes = 227 * 1024; // [B200] same as Hopper
  m.tmemColumns = 512;      // [PTX]
  m.registerFileSize = 64 * 1024;
  m.maxRegsPerThread = 255;
  m.maxWarpsPerBlock = 32;
  m.threadsPerWarp = 32;
  m.warpGroupSize = 4;
  m.registerBudgets = setmaxnregValues();
  m.handoffCost = 64; // estimate, as sm_90a
  return m;
}
