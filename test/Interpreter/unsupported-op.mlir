// Ops the interpreter does not know are named in a located error, and so are
// types it cannot hold; nothing crashes.
// RUN: not weft-run --interpret %s --entry=unknown_op 2>&1 | FileCheck %s --check-prefix=OP
// RUN: not weft-run --interpret %s --entry=vector_type 2>&1 | FileCheck %s --check-prefix=VEC
// RUN: not weft-run --interpret %s --entry=div_by_zero --scalars=0 2>&1 | FileCheck %s --check-prefix=DIV
// RUN: not weft-run --interpret %s --entry=nested 2>&1 | FileCheck %s --check-prefix=NESTED

// OP: [[@LINE+3]]:8: error: 'tensor.empty' is not supported by the interpreter
// OP: weft-run: @unknown_op: FAILED
func.func @unknown_op() {
  %e = tensor.empty() : tensor<4xf32>
  return
}

// VEC: [[@LINE+2]]:8: error: constant of type 'vector<4xf32>' is not supported by the interpreter
func.func @vector_type() {
  %v = arith.constant dense<1.0> : vector<4xf32>
  return
}

// DIV: [[@LINE+3]]:8: error: 'arith.divsi': undefined behaviour (division by zero, overflowing division or oversized shift) at element 0
func.func @div_by_zero(%d: index) {
  %c1 = arith.constant 1 : index
  %q = arith.divsi %c1, %d : index
  return
}

// NESTED: [[@LINE+4]]:7: error: nested pipe.warp_specialize is not supported by the interpreter
func.func @nested() {
  pipe.warp_specialize {
    pipe.partition load warps = 1 {
      pipe.warp_specialize {
        pipe.partition load warps = 1 {
        }
      }
    }
  }
  return
}
