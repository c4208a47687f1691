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

#endif // WEFT_CONVERSION_TILETOCPU_PASSES_TD
