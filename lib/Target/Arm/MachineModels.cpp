//===- MachineModels.cpp - Arm machine-model presets ---------------------===//
//
// One core with SME2 at a 512-bit streaming vector length. Sources:
//  [SME]  Arm Architecture Reference Manual Supplement, SME / SME2: ZA is
//         SVL x SVL bits (4 KiB at SVL 512); BFMOPA accumulates a 16x16 fp32
//         tile from 2-way bf16 products = 1024 FLOP per instruction; 32
//         Z registers.
// Throughputs (one outer product per cycle, one streaming-SVE vector op
// per cycle, 64 B/cycle of L1 loads) are estimates for a high-end core.
// A core runs one thread, so there is no warp specialization: one
// partition, no hand-off.
//
//===----------------------------------------------------------------------===//

#include "weft/Target/MachineModels.h"

using namespace weft;
using namespace weft::schedule;

/// A core runs one thread: one "warp" of one thread, 32 Z registers, no
/// tensor memory, nothing to hand off between partitions.
static void setOneCore(MachineModel &m) {
  m.tmemColumns = 0;
  m.registerFileSize = 32; // Z registers [SME]
  m.maxRegsPerThread = 32;
  m.maxWarpsPerBlock = 1;
  m.threadsPerWarp = 1;
  m.warpGroupSize = 1;
  m.registerBudgets = {};
  m.registerAllocationGranule = 1;
  m.handoffCost = 0;
}

MachineModel target::makeArmSme2() {
  MachineModel m;
  m.name = "arm-sme2";
  m.clockGHz = 3.0;                        // estimate
  m.processorCount = 1;                    // one core
  m.units.push_back({"za", 1, 1024.0, 4}); // BFMOPA [SME], estimate rate
  m.units.push_back({"sve", 1, 16.0, 4});  // 16 fp32 lanes at SVL 512
  m.units.push_back({"load", 1, 64.0, 0}); // estimate
  m.kinds.push_back({"mma", "za", WorkMeasure::Flops, false, false, 1, 0});
  m.kinds.push_back({"load", "load", WorkMeasure::Bytes, false, false, 1, 12});
  // No exp instruction in streaming mode: a degree-5 polynomial plus range
  // reduction is ~10 vector ops per element (estimate).
  m.kinds.push_back(
      {"exp", "sve", WorkMeasure::Elements, false, false, 1, 0, 10.0});
  m.kinds.push_back({"alu", "sve", WorkMeasure::Elements, false, false, 1, 0});
  // FCVT between f16/bf16 and f32 runs on the SVE pipes like other lane ops.
  m.kinds.push_back(
      {"convert", "sve", WorkMeasure::Elements, false, false, 1, 0});
  m.kinds.push_back(
      {"reduce", "sve", WorkMeasure::Elements, false, false, 1, 8});
  m.smemBytes = 64 * 1024; // L1D used as the tile buffer (estimate)
  setOneCore(m);
  return m;
}

// One Neoverse V2 core (SVE2 at 128 bits: 4 f32 lanes per vector), the core
// `aarch64-sve2` tunes for; the SVE kernels schedule their k loop on it.
// Sources:
//  [V2SOG] Arm Neoverse V2 Software Optimization Guide: four FP / ASIMD /
//          SVE pipes V0-V3, each an FMLA per cycle, FMLA latency 4; three
//          load pipes (L0-L2), vector load-to-use latency 6; FCVT and
//          integer vector ops on V0 / V2 (throughput 2).
// Not in the model: stores (after the k loop), the scalar pipes.
MachineModel target::makeNeoverseV2() {
  MachineModel m;
  m.name = "neoverse-v2";
  m.clockGHz = 3.1;    // Graviton4-class part (estimate)
  m.processorCount = 1; // one core per kernel call
  // The scheduled ops are whole register blocks (16 FMAs, 4 strip loads),
  // so each unit is the pipes of its kind together: one op uses all of them.
  // FMLA: 4 pipes x 4 lanes x 2 FLOP per cycle [V2SOG].
  m.units.push_back({"fp", 1, 32.0, 3});
  // 3 pipes x 16 B (one 128-bit vector) per cycle, load-to-use 6 [V2SOG].
  m.units.push_back({"load", 1, 48.0, 5});
  // FCVT, dup, integer vector ops: 2 pipes x 4 lanes per cycle [V2SOG].
  m.units.push_back({"v02", 1, 8.0, 2});
  m.kinds.push_back({"mma", "fp", WorkMeasure::Flops, false, false, 1, 0});
  m.kinds.push_back({"load", "load", WorkMeasure::Bytes, false, false, 1, 0});
  m.kinds.push_back(
      {"convert", "v02", WorkMeasure::Elements, false, false, 1, 0});
  m.kinds.push_back({"alu", "v02", WorkMeasure::Elements, false, false, 1, 0});
  // exp: range reduction + degree-5 polynomial, ~10 FP ops per element
  // (2 FLOP-units each on the fp pipes; estimate).
  m.kinds.push_back(
      {"exp", "fp", WorkMeasure::Elements, false, false, 1, 0, 20.0});
  m.kinds.push_back(
      {"reduce", "v02", WorkMeasure::Elements, false, false, 1, 4});
  m.smemBytes = 64 * 1024; // L1D (estimate of what a tile may use)
  setOneCore(m);
  return m;
}
