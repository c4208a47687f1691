//===- Passes.td - tile to CPU conversion passes -----------*- tablegen -*-===//
#ifndef WEFT_CONVERSION_TILETOCPU_PASSES_TD
#define WEFT_CONVERSION_TILETOCPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def WeftConvertTileToLoops : Pass<"weft-convert-tile-to-loops",
                                  "::mlir::ModuleOp"> {
  let summary = "Lowers tile programs to upstream linalg / memref / scf for CPUs";
  let description = [{
    Rewrites every `tile` program of the module into upstream dialects that
    one-shot bufferization and the standard CPU pipeline lower to LLVM,
    with the semantics of the interpreter (docs/interpreter.md):

    * The launch grid: the body of a function carrying
      `weft.grid = array<i64: x, y, z>` moves into an `scf.for` nest over
      the grid (z outermost, x innermost: the interpreter's order);
      `tile.program_id` becomes the loop's induction variable and
      `tile.num_programs` a constant. A program without `weft.grid` that
      asks for its program id is an error.
    * `tile.load`: a fresh buffer of the tile's shape, zero-filled when
      `masked`, receives a `memref.copy` of the part of the source inside
      its bounds (`memref.subview` with clamped offsets and sizes), and
      becomes the tile through `bufferization.to_tensor restrict`.
    * `tile.store`: the tile's buffer (`bufferization.to_buffer`) is
      copied into a subview of the destination (clamped when `masked`).
    * `tile.dot`: a `linalg.generic` over (m, n, k) with k innermost,
      operands extended to the accumulator type (signed for integers).
    * `tile.reduce`: a `linalg.generic` into an accumulator initialized
      with the kind's identity; float sums of types narrower than f32
      accumulate in f32 and round at the end; max / min propagate NaN.
    * `tile.broadcast`: `linalg.broadcast`.
    * `tile.dequant`: a `linalg.generic` reading the scale (and zero point)
      through `floordiv block_size` along the quantized axis:
      `(q - z) * s` in the scale type (exact for 8-bit and narrower q).
    * Integer element types with signedness (`ui4`, ...) become signless
      everywhere in the module (memrefs, tensors, constants), since upstream
      arithmetic only takes signless integers; `tile.dequant` chooses
      zero / sign extension from the original type before that.

    Elementwise `arith` / `math` on tiles are left to
    `convert-elementwise-to-linalg`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect"
  ];
}

def WeftLowerKernelsToLinalg : Pass<"weft-lower-kernels-to-linalg",
                                    "::mlir::ModuleOp"> {
  let summary = "Lowers the weft.kernels left untiled to linalg on tensors (CPU)";
  let description = [{
    The CPU targets run `weft-tile-kernels{keep-untileable}` first; the
    kernels it cannot tile (layout ops on their own, integer and boolean
    element types, reductions, softmax or normalization over other than the
    last axis, ...) are lowered here, without tiles, to upstream ops on
    tensors that the CPU pipeline (`weft-lower-tile-to-llvm`) bufferizes
    and turns into loops. Like a tile program, each kernel becomes a
    `func.func @name` with one memref argument per input, then per result,
    and a call replaces it (`bufferization.to_tensor restrict` reads the
    inputs, `bufferization.materialize_in_destination` writes the results).

    * elementwise ops (`add` ... `pow`, `where`, unary math, `gelu`, `cast`
      between any float / integer / `i1` types) become one broadcasting
      `linalg.generic` each; integer division and maximum are signed or
      unsigned after the weft type, float math of f16 / bf16 runs in f32;
    * `matmul`: a `linalg.generic` over (batch..., m, n, k) with broadcast
      batch dimensions; floats accumulate in f32 (or f64), integers wrap in
      their type;
    * `transpose`: `linalg.transpose`; `reshape`: `tensor.collapse_shape`
      to one dimension and `tensor.expand_shape` to the result (views, no
      copy); `concat`: `tensor.insert_slice` per input;
    * `slice` and `gather`: a `linalg.generic` computing each element's
      source index (`linalg.index`) and reading it with `tensor.extract`;
      gather indices below zero count from the back, out-of-range ones are
      clamped;
    * `reduce_sum` / `reduce_mean` / `reduce_max` over any axes,
      `softmax` over any axis, `layer_norm` (also `rms`) from any axis:
      `linalg.generic` reductions (f32 statistics for narrower floats).

    Other ops (`attention`, `qmatmul`, `dequantize`) are errors located at
    the op.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::memref::MemRefDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // WEFT_CONVERSION_TILETOCPU_PASSES_TD
