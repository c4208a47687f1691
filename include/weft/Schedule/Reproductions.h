//===- Reproductions.h - Published schedules as solver problems -*- C++ -*-===//
//
// Loop bodies whose optimal schedules are known from hand-written kernels
// (FlashAttention 3 / 4, CUTLASS warp-specialized GEMMs), built from the
// machine-model presets and estimateCost, so tests and benches can check that
// the solver rediscovers them from costs and constraints alone.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_SCHEDULE_REPRODUCTIONS_H
#define WEFT_SCHEDULE_REPRODUCTIONS_H

#include "weft/Schedule/Problem.h"

#include <optional>
#include <string>
#include <vector>

namespace weft {
namespace schedule {
namespace repro {

struct FlashAttentionConfig {
  /// Rows of each Q tile; one consumer warp group (128 threads) owns a tile.
  int64_t qTileRows = 64;
  int64_t qTiles = 2;
  int64_t headDim = 128;
  int64_t kvTileRows = 128;
  /// Fraction of exponentials computed by a polynomial on the FMA pipe
  /// instead of the MUFU (FA4's trick on Blackwell); needs "exp_poly".
  double softwareExpFraction = 0.0;
};

/// FlashAttention forward inner loop (one KV tile per iteration). On targets
/// whose MMA results live in registers (Hopper wgmma) S, P and O are
/// register tiles of the consumer group; on targets with tensor memory
/// (Blackwell) S / P and O live in TMEM and softmax loads S rows into
/// registers.
std::optional<Problem> flashAttentionForward(const MachineModel &machine,
                                             const FlashAttentionConfig &config,
                                             std::string *error = nullptr);

struct GemmConfig {
  int64_t tileM = 128;
  int64_t tileN = 128;
  int64_t k = 1024;
  /// Consumer warp groups; "pingpong": each its own tile, "cooperative":
  /// they split one tile along M.
  int64_t consumers = 2;
  bool cooperative = false;
  /// Bytes of the smem ring a tile's operand stream occupies.
  int64_t operandRingBytes = 64 * 1024;
  /// Epilogue staging buffer per tile (sub-tiled epilogue).
  int64_t epilogueStagingBytes = 16 * 1024;
};

/// Persistent warp-specialized GEMM at tile granularity: one iteration is one
/// output tile per consumer (pingpong) or one tile split across consumers
/// (cooperative): operand loads, the mainloop MMA, the epilogue (convert +
/// TMA store). Accumulators are register tiles (wgmma) or TMEM (tcgen05).
std::optional<Problem> warpSpecializedGemm(const MachineModel &machine,
                                           const GemmConfig &config,
                                           std::string *error = nullptr);

/// A named reproduction and what it is expected to show.
struct Reproduction {
  std::string name;
  std::string expectation;
  Problem problem;
};

/// FA3 (sm_90a): two 64-row Q tiles, one per consumer warp group.
Problem flashAttentionSm90a();
/// FA4 (sm_100a): two 128-row Q tiles, S/P/O in TMEM, 25% software exp.
Problem flashAttentionSm100a();
/// CUTLASS sm_90a ping-pong: two consumers, 128x192 tile each.
Problem cutlassPingpongSm90a();
/// CUTLASS sm_90a cooperative: two consumers split a 128x256 tile.
Problem cutlassCooperativeSm90a();
/// sm_100a GEMM with a 128x512 fp32 accumulator: it takes all 512 TMEM
/// columns, so the epilogue cannot overlap the next mainloop and II > MII.
Problem tmemBoundGemmSm100a();

std::vector<Reproduction> allReproductions();

} // namespace repro
} // namespace schedule
} // namespace weft

#endif // WEFT_SCHEDULE_REPRODUCTIONS_H
