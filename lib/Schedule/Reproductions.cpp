//===- Reproductions.cpp - Published schedules as solver problems --------===//

#include "weft/Schedule/Reproductions.h"

#include "weft/Target/MachineModels.h"

#include <cmath>

using namespace weft;
using namespace weft::schedule;
using namespace weft::schedule::repro;

namespace {
/// Builds a Problem op by op from cost estimates; remembers the first error.
class Builder {
public:
  Builder(const MachineModel &machine, std::string name) {
    problem.machine = machine;
    problem.name = std::move(name);
  }
  unsigned op(const std::string &name, const std::string &kind, double work) {
    std::string why;
    std::optional<Op> op =
        target::makeOp(problem.machine, name, kind, work, &why);
    if (!op) {
      if (error.empty())
        error = why;
      Op placeholder;
      placeholder.name = name;
      placeholder.kind = kind;
      return problem.addOp(placeholder);
    }
    return problem.addOp(*op);
  }
  Op &operator[](unsigned index) { return problem.ops[index]; }
  void edge(unsigned src, unsigned dst, int64_t distance = 0,
            bool inPlace = false) {
    problem.addEdge(src, dst, distance, inPlace);
  }
  void scalarEdge(unsigned src, unsigned dst) {
    problem.addEdge(src, dst, problem.ops[src].latency, 0, false, true);
  }
  std::optional<Problem> finish(std::string *errorOut) {
    if (!error.empty()) {
      if (errorOut)
        *errorOut = error;
      return std::nullopt;
    }
    return problem;
  }
  Problem problem;
  std::string error;
};

/// Threads of the consumer group that owns a register tile.
int64_t perThread(const MachineModel &m, double elements, double bytesPerElem) {
  double regs = elements * bytesPerElem / 4.0 /
                static_cast<double>(m.threadsPerWarpGroup());
  return static_cast<int64_t>(std::ceil(regs));
}
} // namespace

std::optional<Problem> repro::flashAttentionForward(
    const MachineModel &m, const FlashAttentionConfig &c, std::string *error) {
  if (c.qTileRows <= 0 || c.qTiles <= 0 || c.headDim <= 0 ||
      c.kvTileRows <= 0 || c.softwareExpFraction < 0 ||
      c.softwareExpFraction > 1) {
    if (error)
      *error = "flash attention configuration out of range";
    return std::nullopt;
  }
  const bool tensorMemory = m.tmemColumns > 0;
  Builder b(m, "flash_attention_fwd_" + m.name);
  const double kvBytes = double(c.kvTileRows) * c.headDim * 2; // bf16
  const double sElems = double(c.qTileRows) * c.kvTileRows;
  const double oElems = double(c.qTileRows) * c.headDim;
  const double gemmFlops = 2.0 * c.qTileRows * c.kvTileRows * c.headDim;

  unsigned loadK = b.op("load_k", "tma_load", kvBytes);
  unsigned loadV = b.op("load_v", "tma_load", kvBytes);
  b[loadK].smemBytes = b[loadV].smemBytes = static_cast<int64_t>(kvBytes);
  b.problem.fixedSmemBytes =
      static_cast<int64_t>(c.qTiles * c.qTileRows * c.headDim * 2); // Q

  for (int64_t i = 0; i < c.qTiles; ++i) {
    const std::string t = std::to_string(i);
    unsigned s = b.op("s" + t + "_qk", "mma", gemmFlops);
    unsigned rowmax = b.op("rowmax" + t, "reduce", sElems);
    const double mufuElems = sElems * (1.0 - c.softwareExpFraction);
    unsigned exp = b.op("exp" + t, "exp", mufuElems);
    std::optional<unsigned> expPoly;
    if (c.softwareExpFraction > 0)
      expPoly =
          b.op("exp_poly" + t, "exp_poly", sElems * c.softwareExpFraction);
    unsigned pv = b.op("o" + t + "_pv", "mma", gemmFlops);

    if (!tensorMemory) {
      // Hopper: wgmma accumulates S and O in the consumer's registers, P is
      // fed from registers (RS wgmma), row statistics too.
      unsigned rowsum = b.op("rowsum" + t, "reduce", sElems);
      unsigned rescale = b.op("rescale_o" + t, "alu", oElems);
      b[s].registersPerThread = perThread(m, sElems, 4);
      b[s].registerResident = true;
      b[rowmax].registersPerThread = std::max<int64_t>(1, c.qTileRows / 32);
      b[rowmax].registerResident = true;
      b[exp].registersPerThread = perThread(m, mufuElems, 2);
      b[exp].registerResident = true;
      b[rowsum].registersPerThread = std::max<int64_t>(1, c.qTileRows / 32);
      b[rowsum].registerResident = true;
      b[rescale].registerResident = true;
      b[pv].registersPerThread = perThread(m, oElems, 4);
      b[pv].registerResident = true;
      b.edge(loadK, s);
      b.edge(s, rowmax);
      b.edge(rowmax, exp);
      b.edge(exp, rowsum);
      b.edge(rowmax, rescale);
      b.edge(exp, pv);
      b.edge(loadV, pv);
      b.edge(rescale, pv, 0, /*inPlace=*/true);
      b.edge(pv, rescale, 1, /*inPlace=*/true); // O of the previous tile
      b.edge(rowmax, rowmax, 1);                // running max
      b.edge(rowsum, rowsum, 1);                // running sum
      if (expPoly) {
        b[*expPoly].registersPerThread =
            perThread(m, sElems * c.softwareExpFraction, 2);
        b[*expPoly].registerResident = true;
        b.edge(rowmax, *expPoly);
        b.edge(*expPoly, rowsum);
        b.edge(*expPoly, pv);
      }
      continue;
    }

    // Blackwell: S (and P, aliased onto S) and O live in TMEM; softmax loads
    // an S row per thread into registers; the row sum is accumulated in the
    // exp pass; correction rescales O in TMEM in 32-column chunks.
    unsigned correction = b.op("correction" + t, "alu", oElems);
    b[s].tmemColumns = c.kvTileRows;
    b[pv].tmemColumns = c.headDim;
    b[rowmax].registersPerThread = perThread(m, sElems, 4);
    b[rowmax].registerResident = true;
    b[exp].registersPerThread = perThread(m, mufuElems, 2);
    b[correction].registersPerThread = 32;
    b.edge(loadK, s);
    b.edge(s, rowmax);
    b.edge(s, pv); // P is written over S: S's columns live until PV reads P
    b.edge(rowmax, exp);
    b.edge(exp, pv);
    b.edge(loadV, pv);
    b.scalarEdge(rowmax, correction); // rescale factor through smem
    b.edge(correction, pv, 0, /*inPlace=*/true);
    b.edge(pv, correction, 1, /*inPlace=*/true);
    b.edge(pv, s, 1, /*inPlace=*/true); // S/P columns reused next iteration
    b.edge(rowmax, rowmax, 1);
    if (expPoly) {
      b[*expPoly].registersPerThread =
          perThread(m, sElems * c.softwareExpFraction, 2);
      b.edge(rowmax, *expPoly);
      b.edge(*expPoly, pv);
    }
  }
  b.problem.fixedTmemColumns = 0;
  return b.finish(error);
}

std::optional<Problem> repro::warpSpecializedGemm(const MachineModel &m,
                                                  const GemmConfig &c,
                                                  std::string *error) {
  if (c.tileM <= 0 || c.tileN <= 0 || c.k <= 0 || c.consumers <= 0 ||
      (c.cooperative && c.tileM % c.consumers != 0)) {
    if (error)
      *error = "GEMM configuration out of range";
    return std::nullopt;
  }
  const bool tensorMemory = m.tmemColumns > 0;
  Builder b(
      m, std::string(c.cooperative ? "gemm_cooperative_" : "gemm_pingpong_") +
             m.name);
  // Pingpong: one load stream per consumer tile. Cooperative: one tile, one
  // load stream, the consumers each take tileM / consumers rows.
  const int64_t tiles = c.cooperative ? 1 : c.consumers;
  std::vector<unsigned> loads;
  for (int64_t t = 0; t < tiles; ++t) {
    unsigned load = b.op("load" + std::to_string(t), "tma_load",
                         double(c.tileM + c.tileN) * c.k * 2);
    b[load].smemBytes = c.operandRingBytes;
    loads.push_back(load);
  }
  const int64_t rows = c.cooperative ? c.tileM / c.consumers : c.tileM;
  for (int64_t i = 0; i < c.consumers; ++i) {
    const std::string t = std::to_string(i);
    const double accElems = double(rows) * c.tileN;
    unsigned mma = b.op("mainloop" + t, "mma", 2.0 * rows * c.tileN * c.k);
    unsigned epilogue = b.op("epilogue" + t, "convert", accElems);
    unsigned store = b.op("store" + t, "tma_store", accElems * 2);
    if (tensorMemory) {
      b[mma].tmemColumns = c.tileN;
      b[epilogue].registersPerThread = 32; // chunked tcgen05.ld
    } else {
      b[mma].registersPerThread = perThread(m, accElems, 4);
      b[mma].registerResident = true;
    }
    b[epilogue].smemBytes = c.epilogueStagingBytes;
    unsigned load = loads[c.cooperative ? 0 : i];
    b.edge(load, mma);
    b.edge(mma, epilogue);
    b.edge(epilogue, store);
    if (!tensorMemory) // register accumulators are reused by the next tile
      b.edge(epilogue, mma, 1, /*inPlace=*/true);
  }
  return b.finish(error);
}

namespace {
Problem orEmpty(std::optional<Problem> p) { return p ? *p : Problem(); }
} // namespace

Problem repro::flashAttentionSm90a() {
  FlashAttentionConfig c; // FA3 hdim 128: 128-row CTA tile = 2 x 64 rows
  Problem p = orEmpty(flashAttentionForward(target::makeSm90a(), c));
  p.name = "fa3_fwd_sm90a";
  return p;
}

Problem repro::flashAttentionSm100a() {
  FlashAttentionConfig c;
  c.qTileRows = 128; // FA4: 2 x 128-row Q tiles, one TMEM lane per row
  c.softwareExpFraction = 0.25;
  Problem p = orEmpty(flashAttentionForward(target::makeSm100a(), c));
  p.name = "fa4_fwd_sm100a";
  return p;
}

Problem repro::cutlassPingpongSm90a() {
  GemmConfig c;
  c.tileM = 128;
  c.tileN = 192;
  c.k = 1024;
  Problem p = orEmpty(warpSpecializedGemm(target::makeSm90a(), c));
  p.name = "cutlass_pingpong_sm90a";
  return p;
}

Problem repro::cutlassCooperativeSm90a() {
  GemmConfig c;
  c.tileM = 128;
  c.tileN = 256;
  c.k = 1024;
  c.cooperative = true;
  Problem p = orEmpty(warpSpecializedGemm(target::makeSm90a(), c));
  p.name = "cutlass_cooperative_sm90a";
  return p;
}

Problem repro::tmemBoundGemmSm100a() {
  GemmConfig c;
  c.tileM = 128;
  c.tileN = 512;
  c.k = 1024;
  c.consumers = 1;
  c.operandRingBytes = 96 * 1024;
  Problem p = orEmpty(warpSpecializedGemm(target::makeSm100a(), c));
  p.name = "tmem_bound_gemm_sm100a";
  return p;
}

std::vector<Reproduction> repro::allReproductions() {
  return {
      {"fa3_fwd_sm90a",
       "II = tensor-core bound; 1 TMA producer (small budget) + 2 consumers "
       "(one per Q tile, large budget); softmax of one tile overlaps the "
       "GEMMs of the other",
       flashAttentionSm90a()},
      {"fa4_fwd_sm100a",
       "II = tensor-core bound; separate load, MMA-issue and per-tile "
       "softmax partitions",
       flashAttentionSm100a()},
      {"cutlass_pingpong_sm90a",
       "II = tensor-core bound; epilogue of one consumer overlaps the "
       "mainloop of the other",
       cutlassPingpongSm90a()},
      {"cutlass_cooperative_sm90a",
       "II = tensor-core bound; two consumers split one tile",
       cutlassCooperativeSm90a()},
      {"tmem_bound_gemm_sm100a", "TMEM capacity forces II above MII",
       tmemBoundGemmSm100a()},
  };
}
