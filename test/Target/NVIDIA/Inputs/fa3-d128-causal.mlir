// FlashAttention forward in bf16, head dim 128, causal, FA3 shape: each
// program takes two 64-row query tiles (one per consumer warp group) and
// streams 128-row K / V tiles. The loop body is the one weft-tile-kernels
// emits for weft.attention: S = Q K^T * 0.125, iota row / column positions
// masking keys past the query (arith.cmpi + select), online softmax
// (tile.reduce max / sum, math.exp), O rescaled, O += P V; O / l stored at
// the end. The grid is seq / 128; the scalar is seq.
func.func @fa3_d128_causal(%q: memref<?x128xbf16>, %k: memref<?x128xbf16>, %v: memref<?x128xbf16>,
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
  %zs = arith.constant dense<0.0> : tensor<64x128xf32>
  %scale = arith.constant dense<0.125> : tensor<64x128xf32>
  %iota64 = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63]> : tensor<64xi32>
  %iota128 = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127]> : tensor<128xi32>
  %r0i = arith.index_cast %row0 : index to i32
  %r0s = tensor.splat %r0i : tensor<64xi32>
  %rows0 = arith.addi %iota64, %r0s : tensor<64xi32>
  %rows0b = tile.broadcast %rows0 [1] : tensor<64xi32> -> tensor<64x128xi32>
  %r1i = arith.index_cast %row1 : index to i32
  %r1s = tensor.splat %r1i : tensor<64xi32>
  %rows1 = arith.addi %iota64, %r1s : tensor<64xi32>
  %rows1b = tile.broadcast %rows1 [1] : tensor<64xi32> -> tensor<64x128xi32>
  %last = arith.addi %row0, %c128 : index
  %upper = arith.minsi %seq, %last : index
  %ninfs = arith.constant dense<0xFF800000> : tensor<64x128xf32>
  %r:6 = scf.for %j = %c0 to %upper step %c128
      iter_args(%m0 = %ninf, %l0 = %zl, %a0 = %zo, %m1 = %ninf, %l1 = %zl, %a1 = %zo)
      -> (tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>) {
    %kt = tile.load %k[%j, %c0] : memref<?x128xbf16> -> tensor<128x128xbf16>
    %vt = tile.load %v[%j, %c0] : memref<?x128xbf16> -> tensor<128x128xbf16>
    %ji = arith.index_cast %j : index to i32
    %js = tensor.splat %ji : tensor<128xi32>
    %cols = arith.addi %iota128, %js : tensor<128xi32>
    %colsb = tile.broadcast %cols [0] : tensor<128xi32> -> tensor<64x128xi32>
    %sd0 = tile.dot %q0, %kt, %zs transpose_rhs : tensor<64x128xbf16>, tensor<128x128xbf16> -> tensor<64x128xf32>
    %ss0 = arith.mulf %sd0, %scale : tensor<64x128xf32>
    %ok0 = arith.cmpi sle, %colsb, %rows0b : tensor<64x128xi32>
    %s0 = arith.select %ok0, %ss0, %ninfs : tensor<64x128xi1>, tensor<64x128xf32>
    %mb0 = tile.reduce max %s0 axis = 1 : tensor<64x128xf32>
    %mn0 = arith.maximumf %m0, %mb0 : tensor<64xf32>
    %mbb0 = tile.broadcast %mn0 [1] : tensor<64xf32> -> tensor<64x128xf32>
    %sc0 = arith.subf %s0, %mbb0 : tensor<64x128xf32>
    %p0 = math.exp %sc0 : tensor<64x128xf32>
    %lb0 = tile.reduce sum %p0 axis = 1 : tensor<64x128xf32>
    %d0 = arith.subf %m0, %mn0 : tensor<64xf32>
    %al0 = math.exp %d0 : tensor<64xf32>
    %ls0 = arith.mulf %l0, %al0 : tensor<64xf32>
    %ln0 = arith.addf %ls0, %lb0 : tensor<64xf32>
    %alb0 = tile.broadcast %al0 [1] : tensor<64xf32> -> tensor<64x128xf32>
    %as0 = arith.mulf %a0, %alb0 : tensor<64x128xf32>
    %pb0 = arith.truncf %p0 : tensor<64x128xf32> to tensor<64x128xbf16>
    %an0 = tile.dot %pb0, %vt, %as0 : tensor<64x128xbf16>, tensor<128x128xbf16> -> tensor<64x128xf32>
    %sd1 = tile.dot %q1, %kt, %zs transpose_rhs : tensor<64x128xbf16>, tensor<128x128xbf16> -> tensor<64x128xf32>
    %ss1 = arith.mulf %sd1, %scale : tensor<64x128xf32>
    %ok1 = arith.cmpi sle, %colsb, %rows1b : tensor<64x128xi32>
    %s1 = arith.select %ok1, %ss1, %ninfs : tensor<64x128xi1>, tensor<64x128xf32>
    %mb1 = tile.reduce max %s1 axis = 1 : tensor<64x128xf32>
    %mn1 = arith.maximumf %m1, %mb1 : tensor<64xf32>
    %mbb1 = tile.broadcast %mn1 [1] : tensor<64xf32> -> tensor<64x128xf32>
    %sc1 = arith.subf %s1, %mbb1 : tensor<64x128xf32>
    %p1 = math.exp %sc1 : tensor<64x128xf32>
    %lb1 = tile.reduce sum %p1 axis = 1 : tensor<64x128xf32>
    %d1 = arith.subf %m1, %mn1 : tensor<64xf32>
    %al1 = math.exp %d1 : tensor<64xf32>
    %ls1 = arith.mulf %l1, %al1 : tensor<64xf32>
    %ln1 = arith.addf %ls1, %lb1 : tensor<64xf32>
    %alb1 = tile.broadcast %al1 [1] : tensor<64xf32> -> tensor<64x128xf32>
    %as1 = arith.mulf %a1, %alb1 : tensor<64x128xf32>
    %pb1 = arith.truncf %p1 : tensor<64x128xf32> to tensor<64x128xbf16>
    %an1 = tile.dot %pb1, %vt, %as1 : tensor<64x128xbf16>, tensor<128x128xbf16> -> tensor<64x128xf32>
    scf.yield %mn0, %ln0, %an0, %mn1, %ln1, %an1 : tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>
  }
  %lb0x = tile.broadcast %r#1 [1] : tensor<64xf32> -> tensor<64x128xf32>
  %o0 = arith.divf %r#2, %lb0x : tensor<64x128xf32>
  %o0h = arith.truncf %o0 : tensor<64x128xf32> to tensor<64x128xbf16>
  tile.store %o0h, %o[%row0, %c0] : tensor<64x128xbf16>, memref<?x128xbf16>
  %lb1x = tile.broadcast %r#4 [1] : tensor<64xf32> -> tensor<64x128xf32>
  %o1 = arith.divf %r#5, %lb1x : tensor<64x128xf32>
  %o1h = arith.truncf %o1 : tensor<64x128xf32> to tensor<64x128xbf16>
  tile.store %o1h, %o[%row1, %c0] : tensor<64x128xbf16>, memref<?x128xbf16>
  return
}
