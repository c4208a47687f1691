// A GEMM with a bias + GELU epilogue and an attention block at the graph
// level, as `weft-translate --import-onnx` produces them. The README's main
// command runs weft-opt on this file.
func.func @mlp(%x: tensor<128x512xf16>, %w: tensor<512x2048xf16>,
               %b: tensor<2048xf16>) -> tensor<128x2048xf16> {
  %0 = weft.matmul %x, %w : tensor<128x512xf16>, tensor<512x2048xf16>
  %1 = weft.add %0, %b : tensor<128x2048xf16>, tensor<2048xf16>
  %2 = weft.gelu %1 approximate = tanh : tensor<128x2048xf16>
  return %2 : tensor<128x2048xf16>
}

func.func @attention(%q: tensor<1x8x1024x128xf16>, %k: tensor<1x8x1024x128xf16>,
                     %v: tensor<1x8x1024x128xf16>) -> tensor<1x8x1024x128xf16> {
  %0 = weft.attention %q, %k, %v scale = 0.0883883461 causal
         : tensor<1x8x1024x128xf16>, tensor<1x8x1024x128xf16>, tensor<1x8x1024x128xf16>
  return %0 : tensor<1x8x1024x128xf16>
}
