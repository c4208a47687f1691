// Two GEMM K loops with different tile shapes: two schedule cache keys.
func.func @gemm128(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %k: index) -> tensor<128x128xf32> {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%c0, %kk] : memref<?x?xf16> -> tensor<128x64xf16>
    %bt = tile.load %b[%kk, %c0] : memref<?x?xf16> -> tensor<64x128xf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<128x64xf16>, tensor<64x128xf16> -> tensor<128x128xf32>
    scf.yield %d : tensor<128x128xf32>
  }
  return %acc : tensor<128x128xf32>
}

func.func @gemm64(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %k: index) -> tensor<64x64xf32> {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant dense<0.0> : tensor<64x64xf32>
  %acc = scf.for %kk = %c0 to %k step %c32 iter_args(%acc_it = %zero) -> tensor<64x64xf32> {
    %at = tile.load %a[%c0, %kk] : memref<?x?xf16> -> tensor<64x32xf16>
    %bt = tile.load %b[%kk, %c0] : memref<?x?xf16> -> tensor<32x64xf16>
    %d = tile.dot %at, %bt, %acc_it : tensor<64x32xf16>, tensor<32x64xf16> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  return %acc : tensor<64x64xf32>
}
