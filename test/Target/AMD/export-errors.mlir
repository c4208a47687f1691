// Export failures are located errors with a non-zero exit: no ROCDL target,
// no gpu.module, a call into the ROCm device libraries (none are linked),
// and a manifest asked for a module without a launch contract.
// RUN: split-file %s %t
// RUN: not weft-translate --export-amdgcn %t/no-target.mlir 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not weft-translate --export-hsaco %t/no-module.mlir -o %t/out.hsaco 2>&1 | FileCheck %s --check-prefix=MODULE
// RUN: not weft-translate --export-amdgcn %t/ocml.mlir 2>&1 | FileCheck %s --check-prefix=OCML
// RUN: not weft-translate --export-hsaco --hsaco-manifest=%t/k.json %t/ocml.mlir -o %t/out.hsaco 2>&1 | FileCheck %s --check-prefix=LAUNCH
// A plain kernel links into a code object.
// RUN: weft-translate --export-hsaco %t/empty.mlir -o %t/empty.hsaco
// RUN: llvm-readelf --notes %t/empty.hsaco | FileCheck %s --check-prefix=EMPTY

// TARGET: no-target.mlir:3:3: error: needs exactly one #rocdl.target<chip = ...> to export AMDGCN
// MODULE: error: --export-hsaco needs exactly one gpu.module, found 0
// OCML: ocml.mlir:{{[0-9]+}}:{{[0-9]+}}: error: needs the ROCm device library function '__ocml_tanh_f32'; Weft links none (lower math to LLVM intrinsics)
// LAUNCH: error: no launch contract (weft.launch) to write; lower the kernel with weft-lower-to-rocdl
// EMPTY: .name: k
// EMPTY: .private_segment_fixed_size: 0
// EMPTY: .wavefront_size: 64
// EMPTY: amdhsa.target: amdgcn-amd-amdhsa--gfx950

//--- no-target.mlir
module attributes {gpu.container_module} {
  // A GPU module must say which chip it is for.
  gpu.module @kernels {
    llvm.func @k() attributes {rocdl.kernel} {
      llvm.return
    }
  }
}

//--- no-module.mlir
module {
}

//--- ocml.mlir
module attributes {gpu.container_module} {
  gpu.module @kernels [#rocdl.target<chip = "gfx942">] {
    llvm.func @__ocml_tanh_f32(f32) -> f32
    llvm.func @k(%x: f32) attributes {rocdl.kernel} {
      %y = llvm.call @__ocml_tanh_f32(%x) : (f32) -> f32
      llvm.return
    }
  }
}

//--- empty.mlir
module attributes {gpu.container_module} {
  gpu.module @kernels [#rocdl.target<chip = "gfx950">] {
    llvm.func @k() attributes {rocdl.kernel} {
      llvm.return
    }
  }
}
