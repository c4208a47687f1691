// C = gelu(A x B + bias) in bf16 with an f32 accumulator: 128x128 output tiles,
// a K step of 64, masked loads so M, N and
// K need not be multiples of the tile, and a masked store.
func.func @gemm_bias_gelu(%a: memref<?x?xbf16>, %b: memref<?x?xbf16>,
                          %bias: memref<?xbf16>, %c: memref<?x?xbf16>,
                          %k: index) attributes {weft.grid = array<i64: 2, 2, 1>} {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %px = tile.program_id x
  %py = tile.program_id y
  %m = arith.muli %px, %c128 : index
  %n = arith.muli %py, %c128 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%m, %kk] masked : memref<?x?xbf16> -> tensor<128x64xbf16>
    %bt = tile.load %b[%kk, %n] masked : memref<?x?xbf16> -> tensor<64x128xbf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<128x64xbf16>, tensor<64x128xbf16> -> tensor<128x128xf32>
    scf.yield %d : tensor<128x128xf32>
  }
  %bt = tile.load %bias[%n] masked : memref<?xbf16> -> tensor<128xbf16>
  %bf = arith.extf %bt : tensor<128xbf16> to tensor<128xf32>
  %bb = tile.broadcast %bf [0] : tensor<128xf32> -> tensor<128x128xf32>
  %x = arith.addf %acc, %bb : tensor<128x128xf32>
  // gelu(x) = 0.5 x (1 + tanh(0.79788456 (x + 0.044715 x^3)))
  %x2 = arith.mulf %x, %x : tensor<128x128xf32>
  %x3 = arith.mulf %x2, %x : tensor<128x128xf32>
  %c0044 = arith.constant dense<0.044715> : tensor<128x128xf32>
  %t0 = arith.mulf %c0044, %x3 : tensor<128x128xf32>
  %t1 = arith.addf %x, %t0 : tensor<128x128xf32>
  %csq = arith.constant dense<0.797884583> : tensor<128x128xf32>
  %t2 = arith.mulf %csq, %t1 : tensor<128x128xf32>
  %t3 = math.tanh %t2 : tensor<128x128xf32>
  %one = arith.constant dense<1.0> : tensor<128x128xf32>
  %half = arith.constant dense<0.5> : tensor<128x128xf32>
  %t4 = arith.addf %one, %t3 : tensor<128x128xf32>
  %t5 = arith.mulf %half, %x : tensor<128x128xf32>
  %g = arith.mulf %t5, %t4 : tensor<128x128xf32>
  %h = arith.truncf %g : tensor<128x128xf32> to tensor<128x128xbf16>
  tile.store %h, %c[%m, %n] masked : tensor<128x128xbf16>, memref<?x?xbf16>
  return
}
