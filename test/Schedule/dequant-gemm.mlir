// The solver sees tile.dequant as ALU work costed by instructions per
// element of the target's conversion (weft::target::
// dequantInstructionsPerElement): on sm_90a the int4 -> f16 lop3 sequence
// (9 PTX instructions per 8 values) plus one packed scale multiply per two
// values is 1.625 per element, fp8 through cvt.rn.f16x2.e4m3x2 1.25, and
// fp4 (no sequence yet) the scalar 2; on sm_80 fp8 has no cvt and costs the
// scalar 2. A 128x128 tile on 128 ALU lanes (sm_90a) therefore occupies
// 208 / 160 / 256 cycles, and the dequantization is placed in the consumer
// partition with the MMA (double-buffered when it runs a stage ahead).
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a -weft-schedule -mlir-print-debuginfo \
// RUN:   | weft-translate --export-schedule | FileCheck %s --check-prefix=SM90
// RUN: weft-opt %s -weft-attach-machine=target=sm_80 -weft-schedule -mlir-print-debuginfo \
// RUN:   | weft-translate --export-schedule | FileCheck %s --check-prefix=SM80
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a -weft-schedule \
// RUN:   | FileCheck %s --check-prefix=PLACED

// SM90-LABEL: "function": "qgemm_int4"
// SM90: "kind": "alu",
// SM90: "location": "dequant_int4",
// SM90-NEXT: "occupancy_cycles": 208,
// SM90-NEXT: "op": "tile.dequant",
// SM90-NEXT: "partition": [[P:[0-9]+]],
// SM90: "location": "mma_int4",
// SM90: "partition": [[P]],
// SM90-LABEL: "function": "qgemm_fp8"
// SM90: "location": "dequant_fp8",
// SM90-NEXT: "occupancy_cycles": 160,
// SM90-LABEL: "function": "qgemm_fp4"
// SM90: "location": "dequant_fp4",
// SM90-NEXT: "occupancy_cycles": 256,

// SM80-LABEL: "function": "qgemm_int4"
// SM80: "location": "dequant_int4",
// SM80-NEXT: "occupancy_cycles": 416,
// SM80-LABEL: "function": "qgemm_fp8"
// SM80: "location": "dequant_fp8",
// SM80-NEXT: "occupancy_cycles": 512,

// PLACED-LABEL: func.func @qgemm_int4
// PLACED: tile.dequant {{.*}}pipe.placement = #pipe.placement<stage = {{[0-9]}}, cycle = {{[0-9]+}}, partition = [[P:[0-9]]], buffers = 2>
// PLACED: tile.dot {{.*}}pipe.placement = #pipe.placement<stage = {{[0-9]}}, cycle = {{[0-9]+}}, partition = [[P]]>
func.func @qgemm_int4(%x: memref<?x?xf16>, %w: memref<?x?xi4>, %s: memref<?x?xf16>, %y: memref<?x?xf32>, %k: index) {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c128 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %blk = arith.divui %kk, %c128 : index
    %xt = tile.load %x[%c0, %kk] : memref<?x?xf16> -> tensor<128x128xf16> loc("load_x_int4")
    %qt = tile.load %w[%kk, %c0] : memref<?x?xi4> -> tensor<128x128xi4> loc("load_w_int4")
    %st = tile.load %s[%blk, %c0] : memref<?x?xf16> -> tensor<1x128xf16> loc("load_s_int4")
    %wt = tile.dequant %qt, %st axis = 0 block_size = 128
        : tensor<128x128xi4>, tensor<1x128xf16> -> tensor<128x128xf16> loc("dequant_int4")
    %d = tile.dot %xt, %wt, %acc_it : tensor<128x128xf16>, tensor<128x128xf16> -> tensor<128x128xf32> loc("mma_int4")
    scf.yield %d : tensor<128x128xf32>
  } loc("int4")
  tile.store %acc, %y[%c0, %c0] : tensor<128x128xf32>, memref<?x?xf32>
  return
}

func.func @qgemm_fp8(%x: memref<?x?xf16>, %w: memref<?x?xf8E4M3FN>, %s: memref<?x?xf16>, %y: memref<?x?xf32>, %k: index) {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c128 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %blk = arith.divui %kk, %c128 : index
    %xt = tile.load %x[%c0, %kk] : memref<?x?xf16> -> tensor<128x128xf16> loc("load_x_fp8")
    %qt = tile.load %w[%kk, %c0] : memref<?x?xf8E4M3FN> -> tensor<128x128xf8E4M3FN> loc("load_w_fp8")
    %st = tile.load %s[%blk, %c0] : memref<?x?xf16> -> tensor<1x128xf16> loc("load_s_fp8")
    %wt = tile.dequant %qt, %st axis = 0 block_size = 128
        : tensor<128x128xf8E4M3FN>, tensor<1x128xf16> -> tensor<128x128xf16> loc("dequant_fp8")
    %d = tile.dot %xt, %wt, %acc_it : tensor<128x128xf16>, tensor<128x128xf16> -> tensor<128x128xf32> loc("mma_fp8")
    scf.yield %d : tensor<128x128xf32>
  } loc("fp8")
  tile.store %acc, %y[%c0, %c0] : tensor<128x128xf32>, memref<?x?xf32>
  return
}

func.func @qgemm_fp4(%x: memref<?x?xf16>, %w: memref<?x?xf4E2M1FN>, %s: memref<?x?xf16>, %y: memref<?x?xf32>, %k: index) {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c128 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %blk = arith.divui %kk, %c128 : index
    %xt = tile.load %x[%c0, %kk] : memref<?x?xf16> -> tensor<128x128xf16> loc("load_x_fp4")
    %qt = tile.load %w[%kk, %c0] : memref<?x?xf4E2M1FN> -> tensor<128x128xf4E2M1FN> loc("load_w_fp4")
    %st = tile.load %s[%blk, %c0] : memref<?x?xf16> -> tensor<1x128xf16> loc("load_s_fp4")
    %wt = tile.dequant %qt, %st axis = 0 block_size = 128
        : tensor<128x128xf4E2M1FN>, tensor<1x128xf16> -> tensor<128x128xf16> loc("dequant_fp4")
    %d = tile.dot %xt, %wt, %acc_it : tensor<128x128xf16>, tensor<128x128xf16> -> tensor<128x128xf32> loc("mma_fp4")
    scf.yield %d : tensor<128x128xf32>
  } loc("fp4")
  tile.store %acc, %y[%c0, %c0] : tensor<128x128xf32>, memref<?x?xf32>
  return
}

