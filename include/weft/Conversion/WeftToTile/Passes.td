//===- Passes.td - weft to tile conversion passes ----------*- tablegen -*-===//
#ifndef WEFT_CONVERSION_WEFTTOTILE_PASSES_TD
#define WEFT_CONVERSION_WEFTTOTILE_PASSES_TD

include "mlir/Pass/PassBase.td"

def WeftTileKernels : Pass<"weft-tile-kernels", "::mlir::ModuleOp"> {
  let summary = "Tiles every weft.kernel into a tile block program";
  let description = [{
    Turns each `weft.kernel @name` into a `func.func @name` in the same
    module: a `tile` block program whose arguments are one memref per kernel
    input, then one memref per kernel result (static shapes, identity
    layout), and which writes the results through `tile.store`. The function
    carries `weft.grid = array<i64: x, y, z>`, the launch grid that covers the
    output: `x` enumerates the (row tile, column tile) pairs of the last two
    dimensions (column tiles fastest), `y` the flattened leading (batch)
    dimensions.

    The kernel itself is replaced by a plain call on memrefs, bufferized at
    the boundary with upstream ops only:

    ```mlir
    %a = bufferization.to_buffer %x : tensor<64x32xf16> to memref<64x32xf16>
    %o = memref.alloc() : memref<64x16xf16>
    call @gemm_bias_relu(%a, ..., %o) : (memref<64x32xf16>, ..., memref<64x16xf16>) -> ()
    %r = bufferization.to_tensor %o restrict : memref<64x16xf16> to tensor<64x16xf16>
    ```

    A kernel holds at most one anchor, and the anchor decides the loops:

    * `weft.matmul`: an `scf.for` over K in steps of `tile-k` around
      `tile.dot` into an f32 (f64 for f64) accumulator; output tiles are
      `tile-m` x `tile-n`.
    * `weft.qmatmul`: the same, with `tile.dequant` of the weight and scale
      (and zero-point) tiles in the K loop; the K step is a multiple of the
      quantization block size so that every block's scale is in the tile.
    * `weft.attention`: FlashAttention: `tile-m` query rows per program, an
      online-softmax loop over key / value tiles of `tile-n` rows with the
      scale applied to the scores, causal masking and key tails by index
      comparison (`arith.cmpi` + `arith.select` to -inf); the loop of a
      causal kernel stops at the last key tile a row can see. Additive masks
      are not supported yet.
    * `weft.layer_norm` (also `rms`) and `weft.softmax` over the last axis:
      `tile-m` rows per program, each row whole (`tile.reduce` along axis 1).
    * none: an elementwise chain, tiled `tile-m` x `tile-n`.

    Elementwise ops after the anchor (`add`, `sub`, `mul`, `div`, `max`,
    `neg`, `exp`, `relu`, `sigmoid`, `tanh`, `erf`, `sqrt`, `gelu` in erf or
    tanh form, splat constants) become an epilogue on the tile in registers;
    other kernel inputs they read are loaded as tiles and broadcast
    numpy-style (`tile.broadcast`). The epilogue computes in f32 (f64 for f64
    outputs) and rounds once when storing. A trailing `reshape` +
    `transpose [1, 0, 2]` that splits heads ([M, H*D] -> [H, M, D]), or
    `transpose [1, 0, 2]` + `reshape` that merges them back, is folded into
    the store offsets (the column tile is shrunk to divide D).

    Tile sizes are clamped to the static shapes; tails are handled with
    `masked` loads (zeros) and stores. Leading batch dimensions are dropped
    from loaded tiles with `tensor.collapse_shape`. A kernel the pass cannot
    tile is an error located at the offending op, and the module is left
    unchanged for that kernel. With `keep-untileable` (the CPU targets) such
    a kernel is left in place silently instead, for
    `weft-lower-kernels-to-linalg` to lower.
  }];
  let options = [
    Option<"tileM", "tile-m", "int64_t", "64", "rows of an output tile">,
    Option<"tileN", "tile-n", "int64_t", "64",
           "columns of an output tile; key / value rows per attention step">,
    Option<"tileK", "tile-k", "int64_t", "32",
           "reduction step of matmul / qmatmul">,
    Option<"keepUntileable", "keep-untileable", "bool", "false",
           "leave kernels the pass cannot tile in place, without an error">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect", "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect", "::mlir::weft::tile::TileDialect"
  ];
}

#endif // WEFT_CONVERSION_WEFTTOTILE_PASSES_TD
