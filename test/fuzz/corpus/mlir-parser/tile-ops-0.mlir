func.func @gemm_bias_relu(%a: memref<?x?xf16>, %b: memref<?x?xf16>,
                          %bias: memref<?xf32>, %c: memref<?x?xf16>, %k: index) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %pm = tile.program_id x
  %pn = tile.program_id y
  %np = tile.num_programs x
  %m = arith.muli %pm, %c128 : index
  %n = arith.muli %pn, %c128 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%m, %kk] : memref<?x?xf16> -> tensor<128x64xf16>
    %bt = tile.load %b[%kk, %n] : memref<?x?xf16> -> tensor<64x128xf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<128x64xf16>, tensor<64x128xf16> -> tensor<128x128xf32>
    scf.yield %d : tensor<128x128xf32>
  }
  %bt = tile.load %bias[%n] masked : memref<?xf32> -> tensor<128xf32>
  %bb = tile.broadcast %bt [0] : tensor<128xf32> -> tensor<128x128xf32>
  %sum = arith.addf %acc, %bb : tensor<128x128xf32>
  %relu = arith.maximumf %sum, %zero : tensor<128x128xf32>
  %out = arith.truncf %relu : tensor<128x128xf32> to tensor<128x128xf16>
  tile.store %out, %c[%m, %n] masked : tensor<128x128xf16>, memref<?x?xf16>
  return
}

func.func @flash_attention_fwd(%q: memref<?x128xf16>, %k: memref<?x128xf16>,
                               %v: memref<?x128xf16>, %o: memref<?x128xf16>,
                               %seq: index) {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  %pid = tile.program_id x
  %row = arith.muli %pid, %c128 : index
  %qt = tile.load %q[%row, %c0] : memref<?x128xf16> -> tensor<128x128xf16>
  %neg_inf = arith.constant dense<0xFF800000> : tensor<128xf32>
  %zeros = arith.constant dense<0.0> : tensor<128xf32>
  %acc0 = arith.constant dense<0.0> : tensor<128x128xf32>
  %s0 = arith.constant dense<0.0> : tensor<128x128xf32>
  %res:3 = scf.for %j = %c0 to %seq step %c128
      iter_args(%m_i = %neg_inf, %l_i = %zeros, %acc = %acc0)
      -> (tensor<128xf32>, tensor<128xf32>, tensor<128x128xf32>) {
    %kt = tile.load %k[%j, %c0] : memref<?x128xf16> -> tensor<128x128xf16>
    %vt = tile.load %v[%j, %c0] : memref<?x128xf16> -> tensor<128x128xf16>
    %s = tile.dot %qt, %kt, %s0 transpose_rhs : tensor<128x128xf16>, tensor<128x128xf16> -> tensor<128x128xf32>
    %m_blk = tile.reduce max %s axis = 1 : tensor<128x128xf32>
    %m_new = arith.maximumf %m_i, %m_blk : tensor<128xf32>
    %m_b = tile.broadcast %m_new [1] : tensor<128xf32> -> tensor<128x128xf32>
    %sc = arith.subf %s, %m_b : tensor<128x128xf32>
    %p = math.exp %sc : tensor<128x128xf32>
    %l_blk = tile.reduce sum %p axis = 1 : tensor<128x128xf32>
    %diff = arith.subf %m_i, %m_new : tensor<128xf32>
    %alpha = math.exp %diff : tensor<128xf32>
    %l_sc = arith.mulf %l_i, %alpha : tensor<128xf32>
    %l_new = arith.addf %l_sc, %l_blk : tensor<128xf32>
    %alpha_b = tile.broadcast %alpha [1] : tensor<128xf32> -> tensor<128x128xf32>
    %acc_sc = arith.mulf %acc, %alpha_b : tensor<128x128xf32>
    %p16 = arith.truncf %p : tensor<128x128xf32> to tensor<128x128xf16>
    %acc_new = tile.dot %p16, %vt, %acc_sc : tensor<128x128xf16>, tensor<128x128xf16> -> tensor<128x128xf32>
    scf.yield %m_new, %l_new, %acc_new : tensor<128xf32>, tensor<128xf32>, tensor<128x128xf32>
  }
  %l_b = tile.broadcast %res#1 [1] : tensor<128xf32> -> tensor<128x128xf32>
  %out = arith.divf %res#2, %l_b : tensor<128x128xf32>
  %out16 = arith.truncf %out : tensor<128x128xf32> to tensor<128x128xf16>
  tile.store %out16, %o[%row, %c0] : tensor<128x128xf16>, memref<?x128xf16>
  return
}

func.func @int4_gemm(%x: memref<?x?xf16>, %w: memref<?x?xi4>, %s: memref<?x?xf16>,
                     %z: memref<?x?xi4>, %y: memref<?x?xf16>, %k: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %pn = tile.program_id x
  %n = arith.muli %pn, %c128 : index
  %zero = arith.constant dense<0.0> : tensor<16x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%acc_it = %zero) -> tensor<16x128xf32> {
    %xt = tile.load %x[%c0, %kk] : memref<?x?xf16> -> tensor<16x64xf16>
    %wt = tile.load %w[%kk, %n] : memref<?x?xi4> -> tensor<64x128xi4>
    %g = arith.divui %kk, %c64 : index
    %st = tile.load %s[%g, %n] : memref<?x?xf16> -> tensor<1x128xf16>
    %zt = tile.load %z[%g, %n] : memref<?x?xi4> -> tensor<1x128xi4>
    %wf = tile.dequant %wt, %st, %zt axis = 0 block_size = 64
            : tensor<64x128xi4>, tensor<1x128xf16>, tensor<1x128xi4> -> tensor<64x128xf16>
    %d = tile.dot %xt, %wf, %acc_it : tensor<16x64xf16>, tensor<64x128xf16> -> tensor<16x128xf32>
    scf.yield %d : tensor<16x128xf32>
  }
  %out = arith.truncf %acc : tensor<16x128xf32> to tensor<16x128xf16>
  tile.store %out, %y[%c0, %n] : tensor<16x128xf16>, memref<?x?xf16>
  return
}
