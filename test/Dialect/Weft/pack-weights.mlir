// RUN: weft-opt %s -split-input-file -weft-pack-weights=target=aarch64 \
// RUN:   --mlir-print-elementsattrs-with-hex-if-larger=0 -verify-diagnostics \
// RUN:   | FileCheck %s
// RUN: weft-opt %s -split-input-file -weft-pack-weights=target=sm_90a \
// RUN:   -verify-diagnostics | FileCheck %s --check-prefix=SM90

// Q8_0x4 with 8-byte chunks (llama.cpp's i8mm order): w[k][n] = k + 32 n,
// so each byte names its element: chunk c is column c % 4, k from
// 8 * (c / 4). One 32 x 4 block: 1 tile of 128 bytes.
// CHECK-LABEL: func.func @arm_i8
// CHECK: %[[W:.*]] = arith.constant dense<"0x000102030405060720212223242526274041424344454647606162636465666708090A0B0C0D0E0F28292A2B2C2D2E2F48494A4B4C4D4E4F68696A6B6C6D6E6F101112131415161730313233343536375051525354555657707172737475767718191A1B1C1D1E1F38393A3B3C3D3E3F58595A5B5C5D5E5F78797A7B7C7D7E7F"> : tensor<1x128xi8, #weft.packed<[32, 4], i8, tiles = [<[32, 4], permuted[0, 4, 8,
// CHECK-SAME: grid = col_major>>
// CHECK: weft.qmatmul %{{.*}}, %[[W]], %{{.*}} block_size = 32 : tensor<1x32xf16>, tensor<1x128xi8, #weft.packed<[32, 4], i8,
// SM90-LABEL: func.func @arm_i8
// SM90: arith.constant {{.*}} : tensor<2x512xi8, #weft.packed<[32, 4], i8, tiles = [<[16, 32], permuted[0, 32, 256, 288,
// SM90-SAME: interleave = [0, 2, 1, 3]>>
func.func @arm_i8(%x: tensor<1x32xf16>, %s: tensor<1x4xf16>) -> tensor<1x4xf16> {
  %w = arith.constant dense<[[0, 32, 64, 96], [1, 33, 65, 97], [2, 34, 66, 98], [3, 35, 67, 99], [4, 36, 68, 100], [5, 37, 69, 101], [6, 38, 70, 102], [7, 39, 71, 103], [8, 40, 72, 104], [9, 41, 73, 105], [10, 42, 74, 106], [11, 43, 75, 107], [12, 44, 76, 108], [13, 45, 77, 109], [14, 46, 78, 110], [15, 47, 79, 111], [16, 48, 80, 112], [17, 49, 81, 113], [18, 50, 82, 114], [19, 51, 83, 115], [20, 52, 84, 116], [21, 53, 85, 117], [22, 54, 86, 118], [23, 55, 87, 119], [24, 56, 88, 120], [25, 57, 89, 121], [26, 58, 90, 122], [27, 59, 91, 123], [28, 60, 92, 124], [29, 61, 93, 125], [30, 62, 94, 126], [31, 63, 95, 127]]> : tensor<32x4xi8>
  %0 = weft.qmatmul %x, %w, %s block_size = 32 : tensor<1x32xf16>, tensor<32x4xi8>, tensor<1x4xf16>
  return %0 : tensor<1x4xf16>
}

// -----

// Inside a kernel the kernel input and its block argument are retyped.
// CHECK-LABEL: func.func @in_kernel
// CHECK: %[[W:.*]] = arith.constant dense<"0x000102030405060720212223242526274041424344454647606162636465666708090A0B0C0D0E0F28292A2B2C2D2E2F48494A4B4C4D4E4F68696A6B6C6D6E6F101112131415161730313233343536375051525354555657707172737475767718191A1B1C1D1E1F38393A3B3C3D3E3F58595A5B5C5D5E5F78797A7B7C7D7E7F"> : tensor<1x128xi8, #weft.packed
// CHECK: weft.kernel @k(%{{.*}}, %[[W]], %{{.*}}) : (tensor<1x32xf16>, tensor<1x128xi8, #weft.packed
// CHECK: ^bb0(%{{.*}}: tensor<1x32xf16>, %[[A:.*]]: tensor<1x128xi8, #weft.packed
// CHECK: weft.qmatmul %{{.*}}, %[[A]],
func.func @in_kernel(%x: tensor<1x32xf16>, %s: tensor<1x4xf16>) -> tensor<1x4xf16> {
  %w = arith.constant dense<[[0, 32, 64, 96], [1, 33, 65, 97], [2, 34, 66, 98], [3, 35, 67, 99], [4, 36, 68, 100], [5, 37, 69, 101], [6, 38, 70, 102], [7, 39, 71, 103], [8, 40, 72, 104], [9, 41, 73, 105], [10, 42, 74, 106], [11, 43, 75, 107], [12, 44, 76, 108], [13, 45, 77, 109], [14, 46, 78, 110], [15, 47, 79, 111], [16, 48, 80, 112], [17, 49, 81, 113], [18, 50, 82, 114], [19, 51, 83, 115], [20, 52, 84, 116], [21, 53, 85, 117], [22, 54, 86, 118], [23, 55, 87, 119], [24, 56, 88, 120], [25, 57, 89, 121], [26, 58, 90, 122], [27, 59, 91, 123], [28, 60, 92, 124], [29, 61, 93, 125], [30, 62, 94, 126], [31, 63, 95, 127]]> : tensor<32x4xi8>
  %0 = weft.kernel @k(%x, %w, %s) : (tensor<1x32xf16>, tensor<32x4xi8>, tensor<1x4xf16>) -> tensor<1x4xf16> {
  ^bb0(%a: tensor<1x32xf16>, %b: tensor<32x4xi8>, %c: tensor<1x4xf16>):
    %1 = weft.qmatmul %a, %b, %c block_size = 32 : tensor<1x32xf16>, tensor<32x4xi8>, tensor<1x4xf16>
    weft.yield %1 : tensor<1x4xf16>
  }
  return %0 : tensor<1x4xf16>
}

// -----

// A weight that is not a constant is left as it is (the runtime packs it
// at load time), with a remark.
// CHECK-LABEL: func.func @argument_weight
// CHECK: weft.qmatmul %{{.*}}, %arg1, %{{.*}} block_size = 32 : tensor<1x32xf16>, tensor<32x4xi4>,
func.func @argument_weight(%x: tensor<1x32xf16>, %w: tensor<32x4xi4>, %s: tensor<1x4xf16>) -> tensor<1x4xf16> {
  // expected-remark @+1 {{weight is not a compile-time constant; left unpacked}}
  %0 = weft.qmatmul %x, %w, %s block_size = 32 : tensor<1x32xf16>, tensor<32x4xi4>, tensor<1x4xf16>
  return %0 : tensor<1x4xf16>
}

// -----

// Already packed weights are left alone: the pass is idempotent.
// CHECK-LABEL: func.func @already_packed
// CHECK: weft.qmatmul %{{.*}}, %arg1, %{{.*}} block_size = 16 : tensor<1x16xf16>, tensor<1x64xi8, #weft.packed<[16, 8], i4, tiles = [<[16, 8], row_major>]>>
func.func @already_packed(%x: tensor<1x16xf16>, %w: tensor<1x64xi8, #weft.packed<[16, 8], i4, tiles = [#weft.tile<[16, 8], row_major>]>>, %s: tensor<1x8xf16>) -> tensor<1x8xf16> {
  %0 = weft.qmatmul %x, %w, %s block_size = 16 : tensor<1x16xf16>, tensor<1x64xi8, #weft.packed<[16, 8], i4, tiles = [#weft.tile<[16, 8], row_major>]>>, tensor<1x8xf16>
  return %0 : tensor<1x8xf16>
}
