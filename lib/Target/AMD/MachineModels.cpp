//===- MachineModels.cpp - AMD machine-model presets ---------------------===//
//
// Per-CU numbers. Sources:
//  [MI300X] AMD Instinct MI300X data sheet / CDNA 3 white paper: 304 CUs,
//           2100 MHz peak engine clock, 1307.4 TFLOP/s dense BF16 matrix,
//           163.4 TFLOP/s FP32 vector (counting packed v_pk_fma_f32, two
//           FMAs per lane), 64 KB LDS per CU, 4 SIMDs per CU with 512
//           unified VGPR + AGPR per lane, wave64, 1024 threads per
//           workgroup.
//  [MI355X] AMD Instinct MI355X data sheet / CDNA 4 white paper: 256 CUs,
//           2400 MHz peak engine clock, 2516.6 TFLOP/s dense BF16 matrix,
//           157.3 TFLOP/s FP32 vector (packed), 160 KB LDS per CU (with
//           twice CDNA 3's LDS read bandwidth), doubled transcendental rate
//           for softmax, same 512-register unified file per SIMD lane.
//  [ISA3]   AMD CDNA 3 ISA guide: transcendental VALU ops (v_exp_f32,
//           v_rcp_f32, ...) run at quarter rate; v_mfma_f32_32x32x8_bf16 is
//           16 passes (64 cycles), 16x16x16 8 passes; MFMA results are
//           interlocked (the wave continues until it reads them).
//  [ISA4]   AMD CDNA 4 ISA guide: v_mfma_f32_16x16x32_bf16 / 32x32x16_bf16
//           (twice CDNA 3's K per instruction at the same pass count), OCP
//           fp8 / fp6 / fp4 MFMA, global_load_lds of up to 16 bytes a lane.
// Numbers marked "estimate" are not published.
//
// Granularity: a partition is a *wave group* of four waves, one per SIMD, so
// that one partition's tile spreads over all four matrix cores of the CU (a
// single wave issues only to its own SIMD). The four matrix cores are then
// one solver unit with four times a SIMD's rate; two wave groups (ping-pong)
// compete for it, which is what s_setprio arbitrates in the lowering.
//
//===----------------------------------------------------------------------===//

#include "weft/Target/MachineModels.h"

using namespace weft;
using namespace weft::schedule;

namespace {
/// Numbers both CDNA generations share.
struct CdnaNumbers {
  const char *name;
  double clockGHz;
  int64_t computeUnits;
  double mfmaPerClock; // dense BF16 FLOP per clock per CU
  double transPerClock;
  int64_t ldsBytes;
};

MachineModel makeCdna(const CdnaNumbers &n) {
  MachineModel m;
  m.name = n.name;
  m.clockGHz = n.clockGHz;
  m.processorCount = n.computeUnits;
  // The CU's four matrix cores as one unit (see the file comment); pipeline
  // latency beyond throughput: a 16-pass MFMA's tail (estimate).
  m.units.push_back({"mfma", 1, n.mfmaPerClock, 16});
  // 64 unpacked FP32 FMA lanes per CU (16 per SIMD) on both generations.
  m.units.push_back({"valu", 1, 64.0, 8});
  m.units.push_back({"trans", 1, n.transPerClock, 8});
  // global_load / buffer_load bandwidth share per CU when operands hit in
  // L2 / MALL (estimate: 64 B/clk); HBM miss latency ~700 cycles (estimate).
  m.units.push_back({"vmem", 1, 64.0, 0});
  // An MFMA issues in a few cycles and runs in the matrix core while the
  // wave continues until it touches the result [ISA3].
  m.kinds.push_back({"mma", "mfma", WorkMeasure::Flops, false, true, 4, 0});
  // Global loads complete through s_waitcnt vmcnt in the issuing waves:
  // asynchronous, but not a cross-group producer (no TMA on CDNA).
  m.kinds.push_back(
      {"global_load", "vmem", WorkMeasure::Bytes, false, true, 4, 700});
  m.kinds.push_back(
      {"exp", "trans", WorkMeasure::Elements, false, false, 1, 0});
  m.kinds.push_back({"alu", "valu", WorkMeasure::Elements, false, false, 1, 0});
  // Row reductions: VALU ops plus DPP / ds_swizzle steps (estimate 24).
  m.kinds.push_back(
      {"reduce", "valu", WorkMeasure::Elements, false, false, 1, 24});
  m.kinds.push_back(
      {"convert", "valu", WorkMeasure::Elements, false, false, 1, 0});
  m.smemBytes = n.ldsBytes;
  m.tmemColumns = 0;
  m.registerFileSize = 4 * 512 * 64; // 4 SIMDs x 512 regs x 64 lanes
  m.maxRegsPerThread = 512;          // 256 arch VGPR + 256 AGPR
  m.maxWarpsPerBlock = 16;           // 1024 threads / wave64
  m.threadsPerWarp = 64;
  m.warpGroupSize = 4;    // one wave per SIMD
  m.registerBudgets = {}; // no setmaxnreg: every wave gets the same VGPRs
  m.registerAllocationGranule = 8;
  m.handoffCost = 100; // LDS flag words + s_sleep polling (estimate)
  return m;
}
} // namespace

MachineModel target::makeGfx942() {
  // 1307.4e12 / (304 * 2.1e9) = 2048 FLOP/clk/CU [MI300X]; quarter-rate
  // transcendentals: 4 lanes per SIMD [ISA3].
  return makeCdna({"gfx942", 2.1, 304, 2048.0, 16.0, 64 * 1024});
}

MachineModel target::makeGfx950() {
  // 2516.6e12 / (256 * 2.4e9) = 4096 FLOP/clk/CU [MI355X]; transcendentals
  // twice CDNA 3's rate [MI355X].
  return makeCdna({"gfx950", 2.4, 256, 4096.0, 32.0, 160 * 1024});
}
