// RUN: weft-opt %s | FileCheck %s
// RUN: weft-opt %s | weft-opt | FileCheck %s
// RUN: weft-opt %s -mlir-print-op-generic | weft-opt | FileCheck %s

// Every quantized storage format weft.dequantize / weft.qmatmul /
// tile.dequant accept: integers (signed, unsigned, groups of 32 / 64 / 128),
// fp8 e4m3 / e5m2 with float scales, and the block-scaled formats MXFP4 /
// MXFP8 / MXINT8 (E8M0 scales, blocks of 32) and NVFP4 (E4M3 scales, blocks
// of 16), whose dequantized type is f32 at the graph level.

// CHECK-LABEL: func.func @graph_formats
func.func @graph_formats(%x: tensor<4x256xf16>,
    %i4: tensor<256x8xi4>, %u4: tensor<256x8xui4>, %s32: tensor<8x8xf16>,
    %s64: tensor<4x8xf16>, %s128: tensor<2x8xf16>, %z4: tensor<4x8xui4>,
    %e4m3: tensor<256x8xf8E4M3FN>, %e5m2: tensor<256x8xf8E5M2>,
    %pc: tensor<1x8xf16>, %fp4: tensor<256x8xf4E2M1FN>,
    %mx: tensor<8x8xf8E8M0FNU>, %nv: tensor<16x8xf8E4M3FN>, %i8: tensor<256x8xi8>) {
  // CHECK: weft.dequantize {{.*}} : tensor<256x8xi4>, tensor<8x8xf16>
  %0 = weft.dequantize %i4, %s32 axis = 0 block_size = 32 : tensor<256x8xi4>, tensor<8x8xf16>
  // CHECK: weft.dequantize {{.*}} : tensor<256x8xui4>, tensor<4x8xf16>, tensor<4x8xui4>
  %1 = weft.dequantize %u4, %s64, %z4 axis = 0 block_size = 64 : tensor<256x8xui4>, tensor<4x8xf16>, tensor<4x8xui4>
  // CHECK: weft.qmatmul {{.*}} block_size = 128 : tensor<4x256xf16>, tensor<256x8xi4>, tensor<2x8xf16>
  %2 = weft.qmatmul %x, %i4, %s128 block_size = 128 : tensor<4x256xf16>, tensor<256x8xi4>, tensor<2x8xf16>
  // CHECK: weft.dequantize {{.*}} : tensor<256x8xf8E4M3FN>, tensor<1x8xf16>
  %3 = weft.dequantize %e4m3, %pc axis = 0 block_size = 0 : tensor<256x8xf8E4M3FN>, tensor<1x8xf16>
  // CHECK: weft.qmatmul {{.*}} block_size = 0 : tensor<4x256xf16>, tensor<256x8xf8E5M2>, tensor<1x8xf16>
  %4 = weft.qmatmul %x, %e5m2, %pc block_size = 0 : tensor<4x256xf16>, tensor<256x8xf8E5M2>, tensor<1x8xf16>
  // MXFP4: the result type is inferred as f32.
  // CHECK: weft.dequantize {{.*}} : tensor<256x8xf4E2M1FN>, tensor<8x8xf8E8M0FNU>
  %5 = weft.dequantize %fp4, %mx axis = 0 block_size = 32 : tensor<256x8xf4E2M1FN>, tensor<8x8xf8E8M0FNU>
  %c5 = tensor.cast %5 : tensor<256x8xf32> to tensor<256x8xf32>
  // NVFP4 and MXINT8.
  // CHECK: weft.dequantize {{.*}} : tensor<256x8xf4E2M1FN>, tensor<16x8xf8E4M3FN>
  %6 = weft.dequantize %fp4, %nv axis = 0 block_size = 16 : tensor<256x8xf4E2M1FN>, tensor<16x8xf8E4M3FN>
  // CHECK: weft.dequantize {{.*}} : tensor<256x8xi8>, tensor<8x8xf8E8M0FNU>
  %7 = weft.dequantize %i8, %mx axis = 0 block_size = 32 : tensor<256x8xi8>, tensor<8x8xf8E8M0FNU>
  return
}

// CHECK-LABEL: func.func @tile_formats
func.func @tile_formats(%e4m3: tensor<32x16xf8E4M3FN>, %s: tensor<1x16xbf16>,
    %fp4: tensor<32x16xf4E2M1FN>, %mx: tensor<1x16xf8E8M0FNU>,
    %nv: tensor<2x16xf8E4M3FN>) {
  // CHECK: tile.dequant {{.*}} : tensor<32x16xf8E4M3FN>, tensor<1x16xbf16> -> tensor<32x16xbf16>
  %0 = tile.dequant %e4m3, %s axis = 0 block_size = 32 : tensor<32x16xf8E4M3FN>, tensor<1x16xbf16> -> tensor<32x16xbf16>
  // A tile op names the compute type of block-scaled formats.
  // CHECK: tile.dequant {{.*}} : tensor<32x16xf4E2M1FN>, tensor<1x16xf8E8M0FNU> -> tensor<32x16xf16>
  %1 = tile.dequant %fp4, %mx axis = 0 block_size = 32 : tensor<32x16xf4E2M1FN>, tensor<1x16xf8E8M0FNU> -> tensor<32x16xf16>
  // CHECK: tile.dequant {{.*}} : tensor<32x16xf4E2M1FN>, tensor<2x16xf8E4M3FN> -> tensor<32x16xbf16>
  %2 = tile.dequant %fp4, %nv axis = 0 block_size = 16 : tensor<32x16xf4E2M1FN>, tensor<2x16xf8E4M3FN> -> tensor<32x16xbf16>
  return
}
