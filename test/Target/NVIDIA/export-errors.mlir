// Export failures are located errors with a non-zero exit: no target, no
// gpu.module, and ptxas rejecting the PTX (its message is shown).
// REQUIRES: ptxas
// RUN: split-file %s %t
// RUN: not weft-translate --export-ptx %t/no-target.mlir 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not weft-translate --export-ptx %t/no-module.mlir 2>&1 | FileCheck %s --check-prefix=MODULE
// RUN: not weft-translate --export-cubin %t/too-much-smem.mlir -o %t/out.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// TARGET: no-target.mlir:3:3: error: needs an #nvvm.target<chip = ...> to export PTX
// MODULE: error: no gpu.module to export
// PTXAS: error: ptxas -arch=sm_90a failed
// PTXAS: uses too much shared data

//--- no-target.mlir
module attributes {gpu.container_module} {
  // A GPU module must say which chip it is for.
  gpu.module @kernels {
    llvm.func @k() attributes {nvvm.kernel} {
      llvm.return
    }
  }
}

//--- no-module.mlir
module {
}

//--- too-much-smem.mlir
module attributes {gpu.container_module} {
  gpu.module @kernels [#nvvm.target<chip = "sm_90a", features = "+ptx80">] {
    llvm.mlir.global internal @big() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<100000 x f32>
    llvm.func @k(%i: i32, %j: i32, %out: !llvm.ptr<1>) attributes {nvvm.kernel} {
      %big = llvm.mlir.addressof @big : !llvm.ptr<3>
      %p = llvm.getelementptr %big[%i] : (!llvm.ptr<3>, i32) -> !llvm.ptr<3>, f32
      %f = llvm.mlir.constant(1.0 : f32) : f32
      llvm.store volatile %f, %p : f32, !llvm.ptr<3>
      %q = llvm.getelementptr %big[%j] : (!llvm.ptr<3>, i32) -> !llvm.ptr<3>, f32
      %v = llvm.load volatile %q : !llvm.ptr<3> -> f32
      llvm.store %v, %out : f32, !llvm.ptr<1>
      llvm.return
    }
  }
}
