// weft-translate --export-ptx runs LLVM's NVPTX back end on gpu.modules with
// an #nvvm.target; every PTX it writes here is assembled by the real ptxas
// for the chip, and --export-cubin produces the ELF ptxas writes.
// REQUIRES: ptxas
// RUN: split-file %s %t
// RUN: weft-translate --export-ptx %t/sm90a.mlir -o %t/sm90a.ptx
// RUN: FileCheck %s --check-prefix=SM90 < %t/sm90a.ptx
// RUN: %ptxas -arch=sm_90a %t/sm90a.ptx -o %t/sm90a.o
// RUN: weft-translate --export-ptx %t/sm80.mlir -o %t/sm80.ptx
// RUN: FileCheck %s --check-prefix=SM80 < %t/sm80.ptx
// RUN: %ptxas -arch=sm_80 %t/sm80.ptx -o %t/sm80.o
// RUN: weft-translate --export-ptx %t/sm100a.mlir -o %t/sm100a.ptx
// RUN: FileCheck %s --check-prefix=SM100 < %t/sm100a.ptx
// RUN: %ptxas -arch=sm_100a %t/sm100a.ptx -o %t/sm100a.o
// RUN: weft-translate --export-cubin %t/sm90a.mlir -o %t/k.cubin
// RUN: llvm-readelf -h %t/k.cubin | FileCheck %s --check-prefix=CUBIN

// SM90: .target sm_90a
// SM90: .visible .entry producer_consumer(
// SM90: mbarrier.init.shared.b64 [bar]
// SM90: setmaxnreg.dec.sync.aligned.u32 24;
// SM90: mbarrier.arrive.shared.b64
// SM90: setmaxnreg.inc.sync.aligned.u32 240;
// SM90: mbarrier.try_wait.parity.shared.b64

// SM80: .target sm_80
// SM80: cp.async.ca.shared.global
// SM80: cp.async.commit_group;
// SM80: cp.async.wait_group 0;

// SM100: .target sm_100a
// SM100: .visible .entry k(

// CUBIN: Machine: NVIDIA CUDA

//--- sm90a.mlir
// Hopper: a producer warp group lowers its register budget, the consumers
// raise theirs, and they hand off through an mbarrier in shared memory.
module attributes {gpu.container_module} {
  gpu.module @kernels [#nvvm.target<chip = "sm_90a", features = "+ptx80">] {
    llvm.mlir.global internal @bar() {addr_space = 3 : i32, alignment = 8 : i64} : i64
    llvm.func @producer_consumer() attributes {nvvm.kernel} {
      %tid = nvvm.read.ptx.sreg.tid.x : i32
      %c128 = llvm.mlir.constant(128 : i32) : i32
      %c1 = llvm.mlir.constant(1 : i32) : i32
      %c0 = llvm.mlir.constant(0 : i32) : i32
      %bar = llvm.mlir.addressof @bar : !llvm.ptr<3>
      nvvm.mbarrier.init %bar, %c1 : !llvm.ptr<3>, i32
      %is_producer = llvm.icmp "ult" %tid, %c128 : i32
      llvm.cond_br %is_producer, ^producer, ^consumer
    ^producer:
      nvvm.setmaxregister decrease 24
      %state = nvvm.mbarrier.arrive %bar : !llvm.ptr<3> -> i64
      llvm.return
    ^consumer:
      nvvm.setmaxregister increase 240
      %ticks = llvm.mlir.constant(1000000 : i32) : i32
      nvvm.mbarrier.try_wait.parity %bar, %c0, %ticks : !llvm.ptr<3>, i32, i32
      llvm.return
    }
  }
}

//--- sm80.mlir
// Ampere: cp.async copies global memory into shared memory asynchronously.
module attributes {gpu.container_module} {
  gpu.module @kernels [#nvvm.target<chip = "sm_80">] {
    llvm.mlir.global internal @tile() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<256 x f32>
    llvm.func @copy(%src: !llvm.ptr<1>) attributes {nvvm.kernel} {
      %tile = llvm.mlir.addressof @tile : !llvm.ptr<3>
      nvvm.cp.async.shared.global %tile, %src, 16, cache = ca : !llvm.ptr<3>, !llvm.ptr<1>
      nvvm.cp.async.commit.group
      nvvm.cp.async.wait.group 0
      llvm.return
    }
  }
}

//--- sm100a.mlir
module attributes {gpu.container_module} {
  gpu.module @kernels [#nvvm.target<chip = "sm_100a", features = "+ptx86">] {
    llvm.func @k(%p: !llvm.ptr<1>) attributes {nvvm.kernel} {
      %t = nvvm.read.ptx.sreg.tid.x : i32
      %f = llvm.sitofp %t : i32 to f32
      %q = llvm.getelementptr %p[%t] : (!llvm.ptr<1>, i32) -> !llvm.ptr<1>, f32
      llvm.store %f, %q : f32, !llvm.ptr<1>
      llvm.return
    }
  }
}
