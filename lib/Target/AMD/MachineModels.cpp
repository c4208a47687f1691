//===- MachineModels.cpp - AMD machine-model presets ---------------------===//
//
// Per-CU numbers. Sources:
//  [MI300X] AMD Instinct MI300X data sheet / CDNA 3 white paper: 304 CUs,
//           2100 MHz peak engine clock, 1307.4 TFLOP/s dense BF16 matrix,
//           81.7 TFLOP/s FP32 vector, 64 KB LDS per CU, 4 SIMDs per CU with
//           512 unified VGPR+AGPR per lane, wave64, 1024 threads per
//           workgroup.
//  [ISA]    AMD CDNA 3 ISA guide: transcendental ops run at quarter rate.
// Numbers marked "estimate" are not published.
//
//===----------------------------------------------------------------------===//

#include "weft/Target/MachineModels.h"

using namespace weft;
using namespace weft::schedule;

MachineModel target::makeGfx942() {
  MachineModel m;
  m.name = "gfx942";
  m.clockGHz = 2.1;       // [MI300X]
  m.processorCount = 304; // [MI300X]
  // 1307.4e12 / (304 * 2.1e9) = 2048 FLOP/clk/CU over 4 matrix cores (one
  // per SIMD): 512 each.
  m.units.push_back({"mfma", 4, 512.0, 16});
  // 81.7e12 / (304 * 2.1e9 * 2) = 64 FP32 FMA lanes per CU: 16 per SIMD.
  m.units.push_back({"valu", 4, 16.0, 8});
  // Quarter-rate transcendentals: 4 lanes per SIMD per clock [ISA].
  m.units.push_back({"trans", 4, 4.0, 8});
  // buffer_load / global_load_lds bandwidth share per CU (estimate).
  m.units.push_back({"vmem", 1, 64.0, 0});
  // An MFMA issues and runs in the matrix core while the wave continues
  // until it touches the result (hardware interlock).
  m.kinds.push_back({"mma", "mfma", WorkMeasure::Flops, false, true, 4, 0});
  m.kinds.push_back(
      {"global_load", "vmem", WorkMeasure::Bytes, false, true, 4, 700});
  m.kinds.push_back(
      {"exp", "trans", WorkMeasure::Elements, false, false, 1, 0});
  m.kinds.push_back({"alu", "valu", WorkMeasure::Elements, false, false, 1, 0});
  m.kinds.push_back(
      {"reduce", "valu", WorkMeasure::Elements, false, false, 1, 24});
  m.kinds.push_back(
      {"convert", "valu", WorkMeasure::Elements, false, false, 1, 0});
  m.smemBytes = 64 * 1024; // LDS [MI300X]
  m.tmemColumns = 0;
  m.registerFileSize = 4 * 512 * 64; // 4 SIMDs x 512 regs x 64 lanes
  m.maxRegsPerThread = 512;          // VGPR + AGPR [MI300X]
  m.maxWarpsPerBlock = 16;           // 1024 threads / wave64
  m.threadsPerWarp = 64;
  m.warpGroupSize = 1;    // a partition is one wave
  m.registerBudgets = {}; // no per-wave rebalancing
  m.registerAllocationGranule = 8;
  m.handoffCost = 100; // LDS + s_barrier (estimate)
  return m;
}
