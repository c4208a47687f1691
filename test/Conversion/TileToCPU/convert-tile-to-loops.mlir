// RUN: weft-opt %s -weft-convert-tile-to-loops -split-input-file | FileCheck %s

// The grid becomes a loop nest (z outermost, x innermost); a masked load is
// a zero-filled buffer receiving the clamped window; tile.dot a
// linalg.generic with k innermost and a fused multiply-add; the store a copy
// into a clamped subview.

// CHECK-LABEL: func.func @gemm
// CHECK-NOT: tile.
// CHECK: scf.for %[[Z:.*]] = %c0 to %c1
// CHECK: scf.for %[[Y:.*]] = %c0 to %c1
// CHECK: scf.for %[[X:.*]] = %c0 to %c4
// CHECK: %[[M:.*]] = arith.muli %[[X]], %c16
// CHECK: %[[BUF:.*]] = memref.alloc() : memref<16x8xf16>
// CHECK: linalg.fill ins(%{{.*}} : f16) outs(%[[BUF]] : memref<16x8xf16>)
// CHECK: %[[DIM:.*]] = memref.dim %arg0, %c0
// CHECK: arith.maxsi %[[M]], %c0
// CHECK: arith.minsi
// CHECK: memref.subview %arg0
// CHECK: memref.subview %[[BUF]]
// CHECK: linalg.copy
// CHECK: bufferization.to_tensor %[[BUF]] restrict writable
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.extf
// CHECK: arith.extf
// CHECK: math.fma
// CHECK: bufferization.to_buffer
// CHECK: memref.subview %arg2
// CHECK: linalg.copy
// CHECK-NOT: tile.
func.func @gemm(%a: memref<?x8xf16>, %b: memref<8x16xf16>, %c: memref<?x16xf32>)
    attributes {weft.grid = array<i64: 4, 1, 1>} {
  %pid = tile.program_id x
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %m = arith.muli %pid, %c16 : index
  %at = tile.load %a[%m, %c0] masked : memref<?x8xf16> -> tensor<16x8xf16>
  %bt = tile.load %b[%c0, %c0] : memref<8x16xf16> -> tensor<8x16xf16>
  %zero = arith.constant dense<0.0> : tensor<16x16xf32>
  %d = tile.dot %at, %bt, %zero : tensor<16x8xf16>, tensor<8x16xf16> -> tensor<16x16xf32>
  tile.store %d, %c[%m, %c0] masked : tensor<16x16xf32>, memref<?x16xf32>
  return
}

// -----

// f16 sums accumulate in f32 and round once; max starts at -inf and uses
// the NaN-propagating maximumf; broadcast is linalg.broadcast.

// CHECK-LABEL: func.func @rows
// CHECK: %[[NEG:.*]] = arith.constant 0xFC00 : f16
// CHECK: linalg.fill ins(%[[NEG]] : f16)
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: linalg.broadcast ins({{.*}} : tensor<4xf16>) outs({{.*}} : tensor<4x8xf16>) dimensions = [1]
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: linalg.fill ins(%[[ZERO]] : f32)
// CHECK: linalg.generic {{.*}}outs(%{{.*}} : tensor<4xf32>)
// CHECK: arith.extf
// CHECK: arith.addf
// CHECK: arith.truncf %{{.*}} : tensor<4xf32> to tensor<4xf16>
func.func @rows(%x: memref<4x8xf16>, %out: memref<4xf16>, %bout: memref<4x8xf16>) {
  %c0 = arith.constant 0 : index
  %t = tile.load %x[%c0, %c0] : memref<4x8xf16> -> tensor<4x8xf16>
  %mx = tile.reduce max %t axis = 1 : tensor<4x8xf16>
  %b = tile.broadcast %mx [1] : tensor<4xf16> -> tensor<4x8xf16>
  tile.store %b, %bout[%c0, %c0] : tensor<4x8xf16>, memref<4x8xf16>
  %s = tile.reduce sum %t axis = 1 : tensor<4x8xf16>
  tile.store %s, %out[%c0] : tensor<4xf16>, memref<4xf16>
  return
}

// -----

// Dequantization reads the scale and zero point of block k floordiv 32;
// unsigned weights are zero-extended, then the module is signless and
// int4 is held (and computed) as i8, one element per byte.

// CHECK: #[[SCALE:.*]] = affine_map<(d0, d1) -> (d0 floordiv 32, d1)>
// CHECK-LABEL: func.func @dequant(%{{.*}}: memref<64x8xi8>, %{{.*}}: memref<2x8xf16>, %{{.*}}: memref<2x8xi8>
// CHECK: linalg.generic {{.*}}#[[SCALE]], #[[SCALE]]
// CHECK: arith.uitofp %{{.*}} : i8 to f16
// CHECK: arith.uitofp %{{.*}} : i8 to f16
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK-NOT: i4
func.func @dequant(%q: memref<64x8xui4>, %s: memref<2x8xf16>, %z: memref<2x8xui4>, %out: memref<64x8xf16>) {
  %c0 = arith.constant 0 : index
  %qt = tile.load %q[%c0, %c0] : memref<64x8xui4> -> tensor<64x8xui4>
  %st = tile.load %s[%c0, %c0] : memref<2x8xf16> -> tensor<2x8xf16>
  %zt = tile.load %z[%c0, %c0] : memref<2x8xui4> -> tensor<2x8xui4>
  %w = tile.dequant %qt, %st, %zt axis = 0 block_size = 32
         : tensor<64x8xui4>, tensor<2x8xf16>, tensor<2x8xui4> -> tensor<64x8xf16>
  tile.store %w, %out[%c0, %c0] : tensor<64x8xf16>, memref<64x8xf16>
  return
}
