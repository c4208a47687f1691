// C = A x B^T + C0 (f32 out) with 64 x 32 output tiles and a K step of 32:
// B is stored N x K (transpose_rhs), the 32-row B tile is 128 16-byte pieces
// for 256 threads, and a 64 x 32 accumulator over four waves leaves each a
// 32 x 16 corner: 16 x 16 MFMA tiles. Loads are not masked (the sizes are
// multiples of the tiles).
func.func @gemm_nt(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c0in: memref<?x?xf32>,
                   %c: memref<?x?xf32>, %k: index) attributes {weft.grid = array<i64: 2, 3, 1>} {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %px = tile.program_id x
  %py = tile.program_id y
  %m = arith.muli %px, %c64 : index
  %n = arith.muli %py, %c32 : index
  %zero = arith.constant dense<0.0> : tensor<64x32xf32>
  %acc = scf.for %kk = %c0 to %k step %c32 iter_args(%acc_it = %zero) -> tensor<64x32xf32> {
    %at = tile.load %a[%m, %kk] : memref<?x?xf16> -> tensor<64x32xf16>
    %bt = tile.load %b[%n, %kk] : memref<?x?xf16> -> tensor<32x32xf16>
    %d = tile.dot %at, %bt, %acc_it transpose_rhs : tensor<64x32xf16>, tensor<32x32xf16> -> tensor<64x32xf32>
    scf.yield %d : tensor<64x32xf32>
  }
  %old = tile.load %c0in[%m, %n] : memref<?x?xf32> -> tensor<64x32xf32>
  %sum = arith.addf %acc, %old : tensor<64x32xf32>
  tile.store %sum, %c[%m, %n] : tensor<64x32xf32>, memref<?x?xf32>
  return
}
