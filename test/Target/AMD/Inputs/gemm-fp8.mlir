// C = A x B (fp8 e4m3 operands, f32 accumulator, f16 result) with 128x128
// output tiles, a K step of 64 and masked edges. FNUZ e4m3 as gfx942 takes it;
// the gfx950 test rewrites the type to OCP e4m3 (f8E4M3FN).
func.func @gemm_fp8(%a: memref<?x?xf8E4M3FNUZ>, %b: memref<?x?xf8E4M3FNUZ>, %c: memref<?x?xf16>, %k: index) attributes {weft.grid = array<i64: 2, 2, 1>} {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %px = tile.program_id x
  %py = tile.program_id y
  %m = arith.muli %px, %c128 : index
  %n = arith.muli %py, %c128 : index
  %zero = arith.constant dense<0.0> : tensor<128x128xf32>
  %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%acc_it = %zero) -> tensor<128x128xf32> {
    %at = tile.load %a[%m, %kk] masked : memref<?x?xf8E4M3FNUZ> -> tensor<128x64xf8E4M3FNUZ>
    %bt = tile.load %b[%kk, %n] masked : memref<?x?xf8E4M3FNUZ> -> tensor<64x128xf8E4M3FNUZ>
    %d = tile.dot %at, %bt, %acc_it : tensor<128x64xf8E4M3FNUZ>, tensor<64x128xf8E4M3FNUZ> -> tensor<128x128xf32>
    scf.yield %d : tensor<128x128xf32>
  }
  %h = arith.truncf %acc : tensor<128x128xf32> to tensor<128x128xf16>
  tile.store %h, %c[%m, %n] masked : tensor<128x128xf16>, memref<?x?xf16>
  return
}
