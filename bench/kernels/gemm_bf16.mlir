// C = A x B in bf16 with an f32 accumulator: the GEMM of the GPU benchmark
// (utils/gpu-bench.sh), 128x128 output tiles and a K step of 64 (one
// 128-byte swizzled row). The grid is ceil(M/128) x ceil(N/128).
func.func @gemm_bf16(%a: memref<?x?xbf16>, %b: memref<?x?xbf16>,
                     %c: memref<?x?xbf16>, %k: index) {
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
  %h = arith.truncf %acc : tensor<128x128xf32> to tensor<128x128xbf16>
  tile.store %h, %c[%m, %n] masked : tensor<128x128xbf16>, memref<?x?xbf16>
  return
}
