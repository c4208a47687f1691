// The GEMM + bias + GELU tile program (test/Target/NVIDIA/Inputs) on gfx942:
// one consumer wave group (four waves, one per SIMD) that issues its own
// global loads (CDNA has no TMA: a load completes in the issuing waves), the
// loads in stage 0 with LDS multi-buffering and the MFMA stages later, so the
// next tiles' global loads run under the current tile's MFMAs.
// RUN: weft-opt %S/../Target/NVIDIA/Inputs/gemm-bias-gelu.mlir -weft-attach-machine=target=gfx942 \
// RUN:   -weft-schedule -mlir-print-debuginfo | weft-translate --export-schedule | %schedule-facts | FileCheck %s
// 2 x 128 x 128 x 64 FLOP at 2048 FLOP/clk = 1024 cycles of MFMA against
// 32 KB of loads at 64 B/clk = 512: the bound is the MFMA unit (32 normalized
// cycles); a second stage costs a few cycles of II (35), proven minimal for
// the two stages that two 16 KB buffers per operand (all 64 KB of LDS) allow.
// CHECK: loop gemm_bias_gelu ii=35 lower_bound=32 proven_optimal=true ii_cycles={{[0-9]+}} stages=2 partitions=1
// CHECK: partition 0 consumer registers=512:
// CHECK: op {{.*}}gemm-bias-gelu.mlir:16:{{[0-9]+}} global_load stage=0 partition=0 buffers=2
// CHECK: op {{.*}}gemm-bias-gelu.mlir:17:{{[0-9]+}} global_load stage=0 partition=0 buffers=2
// CHECK: op {{.*}}gemm-bias-gelu.mlir:18:{{[0-9]+}} mma stage=1 partition=0 buffers=1
