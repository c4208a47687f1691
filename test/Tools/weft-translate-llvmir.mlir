// weft-translate exports the LLVM dialect to LLVM IR and imports it back.
// RUN: weft-translate --mlir-to-llvmir %s | FileCheck %s --check-prefix=IR
// RUN: weft-translate --mlir-to-llvmir %s | weft-translate --import-llvm | FileCheck %s --check-prefix=MLIR

// IR: define float @fma(float %0, float %1, float %2)
// IR: fmul float %0, %1
// IR: fadd float
// MLIR: llvm.func @fma(%{{.*}}: f32, %{{.*}}: f32, %{{.*}}: f32) -> f32
// MLIR: llvm.fmul
llvm.func @fma(%a: f32, %b: f32, %c: f32) -> f32 {
  %0 = llvm.fmul %a, %b : f32
  %1 = llvm.fadd %0, %c : f32
  llvm.return %1 : f32
}
