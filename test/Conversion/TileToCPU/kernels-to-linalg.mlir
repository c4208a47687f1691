// RUN: weft-opt %s -weft-lower-kernels-to-linalg -split-input-file | FileCheck %s
// RUN: weft-opt %s -weft-lower-kernels-to-linalg -weft-lower-tile-to-llvm -split-input-file | FileCheck %s --check-prefix=LLVM

// Kernels the tiler leaves (here: integer, layout, reduction and gather
// kernels) become functions on memrefs like tile programs, computing on
// tensors with linalg; the whole CPU pipeline lowers them to the LLVM dialect
// without a runtime-library copy.

// LLVM-NOT: memrefCopy
// LLVM-NOT: linalg.
// LLVM-NOT: tensor.

// Unsigned division broadcasts the 1-D divisor (size-1 dimensions are not
// needed: the shorter shape aligns from the back); signedness is dropped at
// the boundary.
// CHECK-LABEL: func.func @div_u8(%arg0: memref<2x3xui8>, %arg1: memref<3xui8>, %arg2: memref<2x3xui8>)
// CHECK: bufferization.to_tensor %arg0 restrict
// CHECK: unrealized_conversion_cast {{.*}} : tensor<2x3xui8> to tensor<2x3xi8>
// CHECK: linalg.generic {indexing_maps = [#[[ID:map[0-9]*]], #[[LAST:map[0-9]*]], #[[ID]]]
// CHECK: arith.divui
// CHECK: bufferization.materialize_in_destination {{.*}} in restrict writable %arg2
// CHECK: func.func @transpose
// CHECK: linalg.transpose {{.*}} permutation = [2, 1, 0]
// CHECK: func.func @reduce_max
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: linalg.fill
// CHECK: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: arith.maximumf
// CHECK: tensor.collapse_shape {{.*}} into tensor<8xf32>
// CHECK: tensor.expand_shape {{.*}} output_shape [2, 1, 4]
// Gather: negative indices count from the back, then the index is clamped.
// CHECK: func.func @gather
// CHECK: linalg.index 0
// CHECK: tensor.extract %{{.*}}[%{{.*}}] : tensor<2xi64>
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: tensor.extract {{.*}} : tensor<5x4xf16>
// Concat: each element reads its input (clamped) and selects by position.
// CHECK: func.func @concat
// CHECK: tensor.extract {{.*}} : tensor<2x3xi8>
// CHECK: tensor.extract {{.*}} : tensor<2x3xi8>
// CHECK: arith.select
// CHECK: func.func @main
// CHECK: call @div_u8
// CHECK: call @transpose
// LLVM: llvm.func @div_u8
// LLVM: llvm.udiv
func.func @main(%x: tensor<2x3xui8>, %y: tensor<3xui8>, %t: tensor<2x3x4xf32>, %g: tensor<5x4xf16>, %i: tensor<2xi64>) -> (tensor<2x3xui8>, tensor<4x3x2xf32>, tensor<2x1x4xf32>, tensor<2x4xf16>, tensor<4x3xui8>) {
  %0 = weft.kernel @div_u8(%x, %y) : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8> {
  ^bb0(%a: tensor<2x3xui8>, %b: tensor<3xui8>):
    %r = weft.div %a, %b : tensor<2x3xui8>, tensor<3xui8>
    weft.yield %r : tensor<2x3xui8>
  }
  %1 = weft.kernel @transpose(%t) : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  ^bb0(%a: tensor<2x3x4xf32>):
    %r = weft.transpose %a [2, 1, 0] : tensor<2x3x4xf32>
    weft.yield %r : tensor<4x3x2xf32>
  }
  %2 = weft.kernel @reduce_max(%t) : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  ^bb0(%a: tensor<2x3x4xf32>):
    %r = weft.reduce_max %a axes [1] keepdims : tensor<2x3x4xf32>
    weft.yield %r : tensor<2x1x4xf32>
  }
  %3 = weft.kernel @gather(%g, %i) : (tensor<5x4xf16>, tensor<2xi64>) -> tensor<2x4xf16> {
  ^bb0(%a: tensor<5x4xf16>, %b: tensor<2xi64>):
    %r = weft.gather %a, %b axis = 0 : tensor<5x4xf16>, tensor<2xi64>
    weft.yield %r : tensor<2x4xf16>
  }
  %4 = weft.kernel @concat(%x, %x) : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<4x3xui8> {
  ^bb0(%a: tensor<2x3xui8>, %b: tensor<2x3xui8>):
    %r = weft.concat %a, %b axis = 0 : tensor<2x3xui8>, tensor<2x3xui8>
    weft.yield %r : tensor<4x3xui8>
  }
  return %0, %1, %2, %3, %4 : tensor<2x3xui8>, tensor<4x3x2xf32>, tensor<2x1x4xf32>, tensor<2x4xf16>, tensor<4x3xui8>
}

// -----

// Softmax over a non-last axis and layer norm from axis 1: f16 statistics in
// f32; QuantizeLinear's round-half-even; min / max of signed integers.
// CHECK-LABEL: func.func @softmax_axis0
// CHECK: arith.extf {{.*}} to f32
// CHECK: iterator_types = ["reduction", "parallel"]
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK: arith.truncf {{.*}} to f16
// CHECK: func.func @layer_norm
// CHECK: iterator_types = ["parallel", "reduction", "reduction"]
// CHECK: math.rsqrt
// CHECK: func.func @round_clip
// CHECK: math.roundeven
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: func.func @matmul_i32
// CHECK: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.muli
// CHECK: arith.addi
// LLVM-LABEL: llvm.func @softmax_axis0
func.func @main(%x: tensor<3x4xf16>, %n: tensor<2x3x4xf32>, %s: tensor<3x4xf32>, %f: tensor<4xf32>, %i: tensor<4xi32>, %a: tensor<2x3xi32>, %b: tensor<3x5xi32>) -> (tensor<3x4xf16>, tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<2x5xi32>) {
  %0 = weft.kernel @softmax_axis0(%x) : (tensor<3x4xf16>) -> tensor<3x4xf16> {
  ^bb0(%v: tensor<3x4xf16>):
    %r = weft.softmax %v axis = 0 : tensor<3x4xf16>
    weft.yield %r : tensor<3x4xf16>
  }
  %1 = weft.kernel @layer_norm(%n, %s) : (tensor<2x3x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32> {
  ^bb0(%v: tensor<2x3x4xf32>, %g: tensor<3x4xf32>):
    %r = weft.layer_norm %v, %g axis = 1 epsilon = 1.0e-05 : tensor<2x3x4xf32>, tensor<3x4xf32> -> tensor<2x3x4xf32>
    weft.yield %r : tensor<2x3x4xf32>
  }
  %2:2 = weft.kernel @round_clip(%f, %i) : (tensor<4xf32>, tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  ^bb0(%v: tensor<4xf32>, %w: tensor<4xi32>):
    %r = weft.round %v : tensor<4xf32>
    %lo = arith.constant dense<-3> : tensor<i32>
    %hi = arith.constant dense<3> : tensor<i32>
    %c0 = weft.max %w, %lo : tensor<4xi32>, tensor<i32>
    %c1 = weft.min %c0, %hi : tensor<4xi32>, tensor<i32>
    weft.yield %r, %c1 : tensor<4xf32>, tensor<4xi32>
  }
  %3 = weft.kernel @matmul_i32(%a, %b) : (tensor<2x3xi32>, tensor<3x5xi32>) -> tensor<2x5xi32> {
  ^bb0(%p: tensor<2x3xi32>, %q: tensor<3x5xi32>):
    %r = weft.matmul %p, %q : tensor<2x3xi32>, tensor<3x5xi32>
    weft.yield %r : tensor<2x5xi32>
  }
  return %0, %1, %2#0, %2#1, %3 : tensor<3x4xf16>, tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<2x5xi32>
}

// -----

// Comparisons are unsigned for unsigned integers; arg_max keeps the best
// value and its index in one reduction (strictly greater: the first index on
// ties); gather_elements clamps its index like gather.
// CHECK-LABEL: func.func @compare_u8
// CHECK: arith.cmpi ult
// CHECK: func.func @arg_max
// CHECK: tensor.extract {{.*}} : tensor<3x4xf32>
// CHECK: linalg.fill {{.*}} -> tensor<3xi64>
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: arith.cmpf ogt
// CHECK: linalg.index 1
// CHECK: arith.select
// CHECK: arith.select
// CHECK: func.func @gather_elements
// CHECK: arith.minsi
// CHECK: tensor.extract {{.*}} : tensor<3x4xf32>
func.func @main(%a: tensor<4xui8>, %b: tensor<4xui8>, %x: tensor<3x4xf32>, %i: tensor<3x1xi64>) -> (tensor<4xi1>, tensor<3xi64>, tensor<3x1xf32>) {
  %0 = weft.kernel @compare_u8(%a, %b) : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1> {
  ^bb0(%p: tensor<4xui8>, %q: tensor<4xui8>):
    %r = weft.compare lt %p, %q : tensor<4xui8>, tensor<4xui8>
    weft.yield %r : tensor<4xi1>
  }
  %1 = weft.kernel @arg_max(%x) : (tensor<3x4xf32>) -> tensor<3xi64> {
  ^bb0(%p: tensor<3x4xf32>):
    %r = weft.arg_max %p axis = 1 : tensor<3x4xf32>
    weft.yield %r : tensor<3xi64>
  }
  %2 = weft.kernel @gather_elements(%x, %i) : (tensor<3x4xf32>, tensor<3x1xi64>) -> tensor<3x1xf32> {
  ^bb0(%p: tensor<3x4xf32>, %q: tensor<3x1xi64>):
    %r = weft.gather_elements %p, %q axis = 1 : tensor<3x4xf32>, tensor<3x1xi64>
    weft.yield %r : tensor<3x1xf32>
  }
  return %0, %1, %2 : tensor<4xi1>, tensor<3xi64>, tensor<3x1xf32>
}

// -----

// A standalone dequantize: the blocked scale and zero point are read at
// (k floordiv 2, n); unsigned codes widen unsigned; the arithmetic is f64,
// rounded once to the scale's type (the interpreter's semantics).
// CHECK-DAG: #[[BLOCKED:map[0-9]*]] = affine_map<(d0, d1) -> (d0 floordiv 2, d1)>
// CHECK-LABEL: func.func @dequantize_blocked
// CHECK: linalg.generic {indexing_maps = [#{{map[0-9]*}}, #[[BLOCKED]], #[[BLOCKED]], #{{map[0-9]*}}]
// CHECK: arith.uitofp {{.*}} : i8 to f64
// CHECK: arith.uitofp {{.*}} : i8 to f64
// CHECK: arith.subf {{.*}} : f64
// CHECK: arith.extf {{.*}} : f16 to f64
// CHECK: arith.mulf {{.*}} : f64
// CHECK: arith.truncf {{.*}} : f64 to f16
func.func @main(%q: tensor<4x3xui8>, %s: tensor<2x3xf16>, %z: tensor<2x3xui8>) -> tensor<4x3xf16> {
  %0 = weft.kernel @dequantize_blocked(%q, %s, %z) : (tensor<4x3xui8>, tensor<2x3xf16>, tensor<2x3xui8>) -> tensor<4x3xf16> {
  ^bb0(%a: tensor<4x3xui8>, %b: tensor<2x3xf16>, %c: tensor<2x3xui8>):
    %r = weft.dequantize %a, %b, %c axis = 0 block_size = 2 : tensor<4x3xui8>, tensor<2x3xf16>, tensor<2x3xui8>
    weft.yield %r : tensor<4x3xf16>
  }
  return %0 : tensor<4x3xf16>
}
