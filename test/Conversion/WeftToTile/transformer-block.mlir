// Every kernel of the shipped transformer block tiles: layer norms, the
// Q / K / V projections whose head split folds into the store, the
// attention whose head merge does too, the output projection with its
// residual, and both int4 MLP qmatmuls (the second with a splat zero point).
// RUN: weft-translate --import-onnx %weft_src_root/docs/examples/transformer_block.onnx \
// RUN:   | weft-opt -weft-graph-fusion -weft-tile-kernels --mlir-elide-resource-strings-if-larger=32 \
// RUN:   | FileCheck %s

// CHECK: func.func @main_layer_norm_0({{.*}}) attributes {weft.grid = array<i64: 1, 1, 1>}
// CHECK: func.func @main_matmul_1({{.*}}memref<4x64x32xf16>) attributes {weft.grid = array<i64: 4, 1, 1>}
// CHECK: tile.dot
// CHECK: tile.store {{.*}} : tensor<1x64x32xf16>, memref<4x64x32xf16>
// CHECK: func.func @main_matmul_2(
// CHECK: func.func @main_matmul_3(
// CHECK: func.func @main_attention_4({{.*}}) attributes {weft.grid = array<i64: 1, 4, 1>}
// CHECK: scf.for
// CHECK: tile.dot {{.*}} transpose_rhs
// CHECK: tile.store {{.*}} : tensor<64x32xf16>, memref<64x128xf16>
// CHECK: func.func @main_matmul_5(
// CHECK: func.func @main_layer_norm_6(
// CHECK: func.func @main_qmatmul_7(
// CHECK: tile.dequant {{.*}} block_size = 32 : tensor<32x64xui4>, tensor<1x64xf16>, tensor<1x64xui4> -> tensor<32x64xf16>
// CHECK: math.erf
// CHECK: func.func @main_qmatmul_8(
// CHECK: arith.constant dense<8> : tensor<1x64xui4>
// CHECK: tile.dequant
// CHECK: func.func @main(
// CHECK-NOT: weft.kernel
// CHECK-COUNT-9: call @main_
// CHECK-NOT: weft.kernel
// CHECK: return
