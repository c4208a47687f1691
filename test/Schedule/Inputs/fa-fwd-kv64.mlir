// FlashAttention forward (docs/examples/flash_attention_fwd.mlir) with K and
// V streamed in 64-row tiles: two 128x128 bf16 KV tiles are all of gfx942's
// 64 KB LDS, so CDNA 3 kernels (as CK's) use shorter KV tiles at head dim 128. Ops carry names (loc("...")) so schedules and
// their exports can refer to them.
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
  %zs = arith.constant dense<0.0> : tensor<64x64xf32>
  %r:6 = scf.for %j = %c0 to %seq step %c64
      iter_args(%m0 = %ninf, %l0 = %zl, %a0 = %zo, %m1 = %ninf, %l1 = %zl, %a1 = %zo)
      -> (tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>) {
    %kt = tile.load %k[%j, %c0] : memref<?x128xbf16> -> tensor<64x128xbf16> loc("load_k")
    %vt = tile.load %v[%j, %c0] : memref<?x128xbf16> -> tensor<64x128xbf16> loc("load_v")
    // Query tile 0: S = Q K^T, online softmax, O = O * alpha + P V.
    %s0 = tile.dot %q0, %kt, %zs transpose_rhs : tensor<64x128xbf16>, tensor<64x128xbf16> -> tensor<64x64xf32> loc("qk0")
    %mb0 = tile.reduce max %s0 axis = 1 : tensor<64x64xf32> loc("rowmax0")
    %mn0 = arith.maximumf %m0, %mb0 : tensor<64xf32> loc("max0")
    %mbb0 = tile.broadcast %mn0 [1] : tensor<64xf32> -> tensor<64x64xf32> loc("bmax0")
    %sc0 = arith.subf %s0, %mbb0 : tensor<64x64xf32> loc("shift0")
    %p0 = math.exp %sc0 : tensor<64x64xf32> loc("exp0")
    %lb0 = tile.reduce sum %p0 axis = 1 : tensor<64x64xf32> loc("rowsum0")
    %d0 = arith.subf %m0, %mn0 : tensor<64xf32> loc("dmax0")
    %al0 = math.exp %d0 : tensor<64xf32> loc("alpha0")
    %ls0 = arith.mulf %l0, %al0 : tensor<64xf32> loc("lscale0")
    %ln0 = arith.addf %ls0, %lb0 : tensor<64xf32> loc("lsum0")
    %alb0 = tile.broadcast %al0 [1] : tensor<64xf32> -> tensor<64x128xf32> loc("balpha0")
    %as0 = arith.mulf %a0, %alb0 : tensor<64x128xf32> loc("rescale0")
    %pb0 = arith.truncf %p0 : tensor<64x64xf32> to tensor<64x64xbf16> loc("cvt0")
    %an0 = tile.dot %pb0, %vt, %as0 : tensor<64x64xbf16>, tensor<64x128xbf16> -> tensor<64x128xf32> loc("pv0")
    // Query tile 1.
    %s1 = tile.dot %q1, %kt, %zs transpose_rhs : tensor<64x128xbf16>, tensor<64x128xbf16> -> tensor<64x64xf32> loc("qk1")
    %mb1 = tile.reduce max %s1 axis = 1 : tensor<64x64xf32> loc("rowmax1")
    %mn1 = arith.maximumf %m1, %mb1 : tensor<64xf32> loc("max1")
    %mbb1 = tile.broadcast %mn1 [1] : tensor<64xf32> -> tensor<64x64xf32> loc("bmax1")
    %sc1 = arith.subf %s1, %mbb1 : tensor<64x64xf32> loc("shift1")
    %p1 = math.exp %sc1 : tensor<64x64xf32> loc("exp1")
    %lb1 = tile.reduce sum %p1 axis = 1 : tensor<64x64xf32> loc("rowsum1")
    %d1 = arith.subf %m1, %mn1 : tensor<64xf32> loc("dmax1")
    %al1 = math.exp %d1 : tensor<64xf32> loc("alpha1")
    %ls1 = arith.mulf %l1, %al1 : tensor<64xf32> loc("lscale1")
    %ln1 = arith.addf %ls1, %lb1 : tensor<64xf32> loc("lsum1")
    %alb1 = tile.broadcast %al1 [1] : tensor<64xf32> -> tensor<64x128xf32> loc("balpha1")
    %as1 = arith.mulf %a1, %alb1 : tensor<64x128xf32> loc("rescale1")
    %pb1 = arith.truncf %p1 : tensor<64x64xf32> to tensor<64x64xbf16> loc("cvt1")
    %an1 = tile.dot %pb1, %vt, %as1 : tensor<64x64xbf16>, tensor<64x128xbf16> -> tensor<64x128xf32> loc("pv1")
    scf.yield %mn0, %ln0, %an0, %mn1, %ln1, %an1 : tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>
  }
  return
}
