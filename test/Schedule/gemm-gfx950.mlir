// The GEMM + bias + GELU tile program (test/Target/NVIDIA/Inputs) on gfx950:
// one consumer wave group (four waves, one per SIMD) that issues its own
// global loads (CDNA has no TMA: a load completes in the issuing waves), the
// loads in stage 0 with LDS multi-buffering and the MFMA stages later, so the
// next tiles' global loads run under the current tile's MFMAs.
// RUN: weft-opt %S/../Target/NVIDIA/Inputs/gemm-bias-gelu.mlir -weft-attach-machine=target=gfx950 \
// RUN:   -weft-schedule -mlir-print-debuginfo | weft-translate --export-schedule | %schedule-facts | FileCheck %s
// Twice gfx942's MFMA rate (4096 FLOP/clk) makes the loads the bound; 160 KB
// of LDS lets the solver go three stages deep (loads two iterations ahead,
// four and three buffers of 16 KB) and reach the bound.
// CHECK: loop gemm_bias_gelu ii=[[II:[0-9]+]] lower_bound=[[II]] proven_optimal=true ii_cycles={{[0-9]+}} stages=3 partitions=1
// CHECK: partition 0 consumer registers=512:
// CHECK: op {{.*}}gemm-bias-gelu.mlir:16:{{[0-9]+}} global_load stage=0 partition=0 buffers=4
// CHECK: op {{.*}}gemm-bias-gelu.mlir:17:{{[0-9]+}} global_load stage=0 partition=0 buffers=3
// CHECK: op {{.*}}gemm-bias-gelu.mlir:18:{{[0-9]+}} mma stage=2 partition=0 buffers=1
