// FlashAttention forward (the shipped example's loop, docs/examples/
// flash_attention_fwd.mlir) completed with the normalization O = acc / l and
// the store of O, checked against numpy softmax attention; then the same
// program after weft-schedule / weft-specialize for sm_90a (FA3 partitions)
// and sm_100a (FA4 partitions) must give the same numbers bit for bit, under
// the round-robin schedule and random interleavings.
// RUN: rm -rf %t && mkdir -p %t
// RUN: weft-run --interpret %s --grid=4 --arg-sizes=512x128,512x128,512x128,512x128 \
// RUN:   --scalars=512 --seed=1 --save-inputs=%t/in --save-outputs=%t/out | FileCheck %s
// RUN: %python %S/Inputs/reference.py attention %t/in %t/out --atol 1e-2 --rtol 2e-2 \
// RUN:   | FileCheck %s --check-prefix=NUMPY
// RUN: weft-opt %s -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize -o %t/fa3.mlir
// RUN: weft-run --interpret %t/fa3.mlir --grid=4 --arg-sizes=512x128,512x128,512x128,512x128 \
// RUN:   --scalars=512 --seed=1 --check-against=%s --atol=0 --rtol=0 | FileCheck %s --check-prefix=WS
// RUN: weft-run --interpret %t/fa3.mlir --grid=4 --arg-sizes=512x128,512x128,512x128,512x128 \
// RUN:   --scalars=512 --seed=1 --schedule-seed=5 --check-against=%s --atol=0 --rtol=0 | FileCheck %s --check-prefix=WS
// RUN: weft-opt %s -weft-attach-machine=target=sm_100a -weft-schedule -weft-specialize -o %t/fa4.mlir
// RUN: weft-run --interpret %t/fa4.mlir --grid=4 --arg-sizes=512x128,512x128,512x128,512x128 \
// RUN:   --scalars=512 --seed=1 --check-against=%s --atol=0 --rtol=0 | FileCheck %s --check-prefix=WS
// RUN: weft-run --interpret %t/fa4.mlir --grid=4 --arg-sizes=512x128,512x128,512x128,512x128 \
// RUN:   --scalars=512 --seed=1 --schedule-seed=11 --check-against=%s --atol=0 --rtol=0 | FileCheck %s --check-prefix=WS

// CHECK: weft-run: @fa_fwd grid 4x1x1: ok
// NUMPY: arg3: max abs err
// NUMPY: numpy check: PASS
// WS: check @fa_fwd against @fa_fwd
// WS: arg3: max abs err 0.000e+00, max rel err 0.000e+00: ok
// WS: PASS

func.func @fa_fwd(%q: memref<?x128xbf16>, %k: memref<?x128xbf16>, %v: memref<?x128xbf16>,
                  %o: memref<?x128xbf16>, %seq: index) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %pid = tile.program_id x
  %row0 = arith.muli %pid, %c128 : index
  %row1 = arith.addi %row0, %c64 : index
  %q0 = tile.load %q[%row0, %c0] : memref<?x128xbf16> -> tensor<64x128xbf16>
  %q1 = tile.load %q[%row1, %c0] : memref<?x128xbf16> -> tensor<64x128xbf16>
  %ninf = arith.constant dense<0xFF800000> : tensor<64xf32>
  %zl = arith.constant dense<0.0> : tensor<64xf32>
  %zo = arith.constant dense<0.0> : tensor<64x128xf32>
  %r:6 = scf.for %j = %c0 to %seq step %c128
      iter_args(%m0 = %ninf, %l0 = %zl, %a0 = %zo, %m1 = %ninf, %l1 = %zl, %a1 = %zo)
      -> (tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>) {
    %kt = tile.load %k[%j, %c0] : memref<?x128xbf16> -> tensor<128x128xbf16> loc("load_k")
    %vt = tile.load %v[%j, %c0] : memref<?x128xbf16> -> tensor<128x128xbf16> loc("load_v")
    // Query tile 0: S = Q K^T, online softmax, O = O * alpha + P V.
    %s0 = tile.dot %q0, %kt, %zo transpose_rhs : tensor<64x128xbf16>, tensor<128x128xbf16> -> tensor<64x128xf32> loc("qk0")
    %mb0 = tile.reduce max %s0 axis = 1 : tensor<64x128xf32> loc("rowmax0")
    %mn0 = arith.maximumf %m0, %mb0 : tensor<64xf32> loc("max0")
    %mbb0 = tile.broadcast %mn0 [1] : tensor<64xf32> -> tensor<64x128xf32> loc("bmax0")
    %sc0 = arith.subf %s0, %mbb0 : tensor<64x128xf32> loc("shift0")
    %p0 = math.exp %sc0 : tensor<64x128xf32> loc("exp0")
    %lb0 = tile.reduce sum %p0 axis = 1 : tensor<64x128xf32> loc("rowsum0")
    %d0 = arith.subf %m0, %mn0 : tensor<64xf32> loc("dmax0")
    %al0 = math.exp %d0 : tensor<64xf32> loc("alpha0")
    %ls0 = arith.mulf %l0, %al0 : tensor<64xf32> loc("lscale0")
    %ln0 = arith.addf %ls0, %lb0 : tensor<64xf32> loc("lsum0")
    %alb0 = tile.broadcast %al0 [1] : tensor<64xf32> -> tensor<64x128xf32> loc("balpha0")
    %as0 = arith.mulf %a0, %alb0 : tensor<64x128xf32> loc("rescale0")
    %pb0 = arith.truncf %p0 : tensor<64x128xf32> to tensor<64x128xbf16> loc("cvt0")
    %an0 = tile.dot %pb0, %vt, %as0 : tensor<64x128xbf16>, tensor<128x128xbf16> -> tensor<64x128xf32> loc("pv0")
    // Query tile 1.
    %s1 = tile.dot %q1, %kt, %zo transpose_rhs : tensor<64x128xbf16>, tensor<128x128xbf16> -> tensor<64x128xf32> loc("qk1")
    %mb1 = tile.reduce max %s1 axis = 1 : tensor<64x128xf32> loc("rowmax1")
    %mn1 = arith.maximumf %m1, %mb1 : tensor<64xf32> loc("max1")
    %mbb1 = tile.broadcast %mn1 [1] : tensor<64xf32> -> tensor<64x128xf32> loc("bmax1")
    %sc1 = arith.subf %s1, %mbb1 : tensor<64x128xf32> loc("shift1")
    %p1 = math.exp %sc1 : tensor<64x128xf32> loc("exp1")
    %lb1 = tile.reduce sum %p1 axis = 1 : tensor<64x128xf32> loc("rowsum1")
    %d1 = arith.subf %m1, %mn1 : tensor<64xf32> loc("dmax1")
    %al1 = math.exp %d1 : tensor<64xf32> loc("alpha1")
    %ls1 = arith.mulf %l1, %al1 : tensor<64xf32> loc("lscale1")
    %ln1 = arith.addf %ls1, %lb1 : tensor<64xf32> loc("lsum1")
    %alb1 = tile.broadcast %al1 [1] : tensor<64xf32> -> tensor<64x128xf32> loc("balpha1")
    %as1 = arith.mulf %a1, %alb1 : tensor<64x128xf32> loc("rescale1")
    %pb1 = arith.truncf %p1 : tensor<64x128xf32> to tensor<64x128xbf16> loc("cvt1")
    %an1 = tile.dot %pb1, %vt, %as1 : tensor<64x128xbf16>, tensor<128x128xbf16> -> tensor<64x128xf32> loc("pv1")
    scf.yield %mn0, %ln0, %an0, %mn1, %ln1, %an1 : tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>
  }
  %l0b = tile.broadcast %r#1 [1] : tensor<64xf32> -> tensor<64x128xf32>
  %o0 = arith.divf %r#2, %l0b : tensor<64x128xf32>
  %o0h = arith.truncf %o0 : tensor<64x128xf32> to tensor<64x128xbf16>
  tile.store %o0h, %o[%row0, %c0] : tensor<64x128xbf16>, memref<?x128xbf16>
  %l1b = tile.broadcast %r#4 [1] : tensor<64xf32> -> tensor<64x128xf32>
  %o1 = arith.divf %r#5, %l1b : tensor<64x128xf32>
  %o1h = arith.truncf %o1 : tensor<64x128xf32> to tensor<64x128xbf16>
  tile.store %o1h, %o[%row1, %c0] : tensor<64x128xbf16>, memref<?x128xbf16>
  return
}
