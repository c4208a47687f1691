// Deadlocks are reported at the pipe.warp_specialize with the op each
// blocked partition waits in.
// RUN: not weft-run --interpret %s --entry=nobody_puts 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not weft-run --interpret %s --entry=depth_exhausted 2>&1 | FileCheck %s --check-prefix=DEPTH
// RUN: not weft-run --interpret %s --entry=result_never_put 2>&1 | FileCheck %s --check-prefix=MAIN
// A deadlock does not depend on the interleaving.
// RUN: not weft-run --interpret %s --entry=depth_exhausted --schedule-seed=3 2>&1 | FileCheck %s --check-prefix=DEPTH

!t = tensor<4xf32>
!ch = !pipe.channel<tensor<4xf32>, depth = 1, shared>

// EMPTY: error: deadlock: every partition still running is blocked
// EMPTY: note: partition #0 (load) has finished
// EMPTY: [[@LINE+9]]:12: note: partition #1 (consumer) is blocked in 'pipe.get': the channel has no value it has not read yet (0 put, 0 read by this consumer)
func.func @nobody_puts(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %a = pipe.create_channel : !ch
  %b = pipe.create_channel : !ch
  pipe.warp_specialize {
    pipe.partition load warps = 1 {
    }
    pipe.partition consumer warps = 4 {
      %v = pipe.get %a : !ch
      pipe.release %a : !ch
      tile.store %v, %out[%c0] : !t, memref<4xf32>
    }
  }
  return
}

// The producer puts twice into a depth-1 channel; its consumer first waits
// for a flag the producer sends only after the second put.
// DEPTH: error: deadlock: every partition still running is blocked
// DEPTH: [[@LINE+10]]:7: note: partition #0 (load) is blocked in 'pipe.put': every slot of the depth-1 channel holds a value not yet released by every consumer (1 put; 1 of 1 consumers have not read from it yet)
// DEPTH: [[@LINE+13]]:12: note: partition #1 (consumer) is blocked in 'pipe.get': the channel has no value it has not read yet (0 put, 0 read by this consumer)
func.func @depth_exhausted(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %x = arith.constant dense<1.0> : !t
  %data = pipe.create_channel : !ch
  %flag = pipe.create_channel : !ch
  pipe.warp_specialize {
    pipe.partition load warps = 1 {
      pipe.put %x, %data : !ch
      pipe.put %x, %data : !ch
      pipe.put %x, %flag : !ch
    }
    pipe.partition consumer warps = 4 {
      %f = pipe.get %flag : !ch
      pipe.release %flag : !ch
      %v = pipe.get %data : !ch
      pipe.release %data : !ch
      %w = pipe.get %data : !ch
      pipe.release %data : !ch
      tile.store %w, %out[%c0] : !t, memref<4xf32>
    }
  }
  return
}

// The epilogue reads a result channel no partition put into.
// MAIN: [[@LINE+8]]:8: error: deadlock: the main program waits in 'pipe.get' (the channel has no value it has not read yet (0 put, 0 read by this consumer)) and no partition is running to unblock it
func.func @result_never_put(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %r = pipe.create_channel : !ch
  pipe.warp_specialize {
    pipe.partition mma warps = 4 {
    }
  }
  %v = pipe.get %r : !ch
  pipe.release %r : !ch
  tile.store %v, %out[%c0] : !t, memref<4xf32>
  return
}
