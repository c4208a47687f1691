// The FlashAttention forward of the GPU benchmark (utils/gpu-bench.sh): in
// bf16, head dim 128, FA3 shape: each program takes two 64-row query tiles
// (one per consumer warp group) and streams 128-row K / V tiles. The loop
// body is the one weft-tile-kernels emits for weft.attention: S = Q K^T *
// 0.125, online softmax (tile.reduce max / sum, math.exp), O rescaled, O +=
// P V; O / l stored at the end. The grid is seq / 128; the scalar is seq.
func.func @flash_attention_bf16(%q: memref<?x128xbf16>, %k: memref<?x128xbf16>, %v: memref<?x128xbf16>,
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
  %r:6 = scf.for %j = %c0 to %seq step %c128
      iter_args(%m0 = %ninf, %l0 = %zl, %a0 = %zo, %m1 = %ninf, %l1 = %zl, %a1 = %zo)
      -> (tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64x128xf32>) {
    %kt = tile.load %k[%j, %c0] : memref<?x128xbf16> -> tensor<128x128xbf16>
    %vt = tile.load %v[%j, %c0] : memref<?x128xbf16> -> tensor<128x128xbf16>
    %sd0 = tile.dot %q0, %kt, %zs transpose_rhs : tensor<64x128xbf16>, tensor<128x128xbf16> -> tensor<64x128xf32>
    %ss0 = arith.mulf %sd0, %scale : tensor<64x128xf32>
    %mb0 = tile.reduce max %ss0 axis = 1 : tensor<64x128xf32>
    %mn0 = arith.maximumf %m0, %mb0 : tensor<64xf32>
    %mbb0 = tile.broadcast %mn0 [1] : tensor<64xf32> -> tensor<64x128xf32>
    %sc0 = arith.subf %ss0, %mbb0 : tensor<64x128xf32>
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
    %mb1 = tile.reduce max %ss1 axis = 1 : tensor<64x128xf32>
    %mn1 = arith.maximumf %m1, %mb1 : tensor<64xf32>
    %mbb1 = tile.broadcast %mn1 [1] : tensor<64xf32> -> tensor<64x128xf32>
    %sc1 = arith.subf %ss1, %mbb1 : tensor<64x128xf32>
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
