// The GEMM of the GPU benchmark (utils/gpu-bench.sh): C[M, N] (f32) =
// A[M, K] B[K, N] in bf16, one 128x128 output tile per program on a grid of
// (M / 128, N / 128), K in steps of 64 (TMA boxes of 128x64 and 64x128 bf16).
// The benchmark compiles it for sm_90a / sm_100a and times it against cuBLAS;
// test/Runtime/CUDA/bench-kernels.test checks it on the CPU interpreter.
func.func @gemm(%a: memref<?x?xbf16>, %b: memref<?x?xbf16>, %c: memref<?x?xf32>,
                %k: index) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %px = tile.program_id x
  %py = tile.program_id y
  %m = arith.muli %px, %c128 : index
  %n = arith.muli %py, %c128 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%m, %kk] : memref<?x?xbf16> -> tensor<128x64xbf16>
    %bt = tile.load %b[%kk, %n] : memref<?x?xbf16> -> tensor<64x128xbf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<128x64xbf16>, tensor<64x128xbf16> -> tensor<128x128xf32>
    scf.yield %d : tensor<128x128xf32>
  }
  tile.store %acc, %c[%m, %n] : tensor<128x128xf32>, memref<?x?xf32>
  return
}
