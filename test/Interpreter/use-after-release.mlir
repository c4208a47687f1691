// A value obtained by pipe.get is valid until the consumer's pipe.release:
// using it afterwards races with the producer refilling the slot.
// RUN: not weft-run --interpret %s --entry=use_after_release 2>&1 | FileCheck %s --check-prefix=UAR
// RUN: not weft-run --interpret %s --entry=release_without_get 2>&1 | FileCheck %s --check-prefix=NOGET
// RUN: not weft-run --interpret %s --entry=never_released 2>&1 | FileCheck %s --check-prefix=NOREL
// RUN: not weft-run --interpret %s --entry=unread 2>&1 | FileCheck %s --check-prefix=UNREAD
// RUN: not weft-run --interpret %s --entry=too_many_consumers 2>&1 | FileCheck %s --check-prefix=EXTRA
// One forwarded final value may stay unread, unless --strict-channels.
// RUN: weft-run --interpret %s --entry=final_value | FileCheck %s --check-prefix=FINAL
// RUN: not weft-run --interpret %s --entry=final_value --strict-channels 2>&1 | FileCheck %s --check-prefix=STRICT
// After the partitions ended, the epilogue may use a result it released (no
// producer is left to overwrite it); a later put makes that a race again.
// RUN: weft-run --interpret %s --entry=epilogue_after_release | FileCheck %s --check-prefix=FINAL
// RUN: not weft-run --interpret %s --entry=epilogue_overwritten 2>&1 | FileCheck %s --check-prefix=OVER

!t = tensor<4xf32>
!ch = !pipe.channel<tensor<4xf32>, depth = 2, shared>

// UAR: [[@LINE+14]]:12: error: unsynchronized access: 'arith.addf' uses a value obtained by pipe.get after its pipe.release (the producer may already have overwritten the slot)
// UAR: [[@LINE+11]]:12: note: value obtained here
// UAR: [[@LINE+11]]:7: note: released here
func.func @use_after_release(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %x = arith.constant dense<2.0> : !t
  %c = pipe.create_channel : !ch
  pipe.warp_specialize {
    pipe.partition load warps = 1 {
      pipe.put %x, %c : !ch
    }
    pipe.partition consumer warps = 4 {
      %v = pipe.get %c : !ch
      pipe.release %c : !ch
      %w = arith.addf %v, %v : !t
      tile.store %w, %out[%c0] : !t, memref<4xf32>
    }
  }
  return
}

// NOGET: [[@LINE+9]]:7: error: unsynchronized access: pipe.release by partition #1 (consumer) without a preceding pipe.get that it has not released
func.func @release_without_get() {
  %x = arith.constant dense<2.0> : !t
  %c = pipe.create_channel : !ch
  pipe.warp_specialize {
    pipe.partition load warps = 1 {
      pipe.put %x, %c : !ch
    }
    pipe.partition consumer warps = 4 {
      pipe.release %c : !ch
    }
  }
  return
}

// NOREL: [[@LINE+9]]:12: error: unsynchronized access: value obtained by pipe.get is never released by partition #1 (consumer)
func.func @never_released() {
  %x = arith.constant dense<2.0> : !t
  %c = pipe.create_channel : !ch
  pipe.warp_specialize {
    pipe.partition load warps = 1 {
      pipe.put %x, %c : !ch
    }
    pipe.partition consumer warps = 4 {
      %v = pipe.get %c : !ch
    }
  }
  return
}

// UNREAD: [[@LINE+4]]:8: error: put/get mismatch: 2 value(s) put into the channel were never read by partition #1 (consumer) (3 put, 1 read; only one final value may stay unread)
// UNREAD: note: last put here
func.func @unread() {
  %x = arith.constant dense<2.0> : !t
  %c = pipe.create_channel : !ch
  pipe.warp_specialize {
    pipe.partition load warps = 1 {
      pipe.put %x, %c : !ch
      pipe.put %x, %c : !ch
      pipe.put %x, %c : !ch
    }
    pipe.partition consumer warps = 4 {
      %v = pipe.get %c : !ch
      pipe.release %c : !ch
    }
  }
  return
}

// EXTRA: [[@LINE+15]]:12: error: channel has consumers = 1 but partition #2 (consumer) is one more agent reading it
// EXTRA: note: already read by partition #1 (consumer)
func.func @too_many_consumers() {
  %x = arith.constant dense<2.0> : !t
  %c = pipe.create_channel : !ch
  pipe.warp_specialize {
    pipe.partition load warps = 1 {
      pipe.put %x, %c : !ch
      pipe.put %x, %c : !ch
    }
    pipe.partition consumer warps = 4 {
      %v = pipe.get %c : !ch
      pipe.release %c : !ch
    }
    pipe.partition consumer warps = 4 {
      %v = pipe.get %c : !ch
      pipe.release %c : !ch
    }
  }
  return
}

// The loop-carried value is forwarded one iteration ahead (as weft-specialize
// does for FlashAttention's running max): the last one has no reader.
// FINAL: ok
// STRICT: error: put/get mismatch: 1 value(s) put into the channel were never read by partition #1 (consumer) (5 put, 4 read)
func.func @final_value(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant dense<1.0> : !t
  %c = pipe.create_channel : !ch
  pipe.warp_specialize {
    pipe.partition load warps = 1 {
      pipe.put %one, %c : !ch
      %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %one) -> !t {
        %n = arith.addf %acc, %one : !t
        pipe.put %n, %c : !ch
        scf.yield %n : !t
      }
    }
    pipe.partition consumer warps = 4 {
      scf.for %i = %c0 to %c4 step %c1 {
        %v = pipe.get %c : !ch
        tile.store %v, %out[%c0] : !t, memref<4xf32>
        pipe.release %c : !ch
      }
    }
  }
  return
}

!r = !pipe.channel<tensor<4xf32>, depth = 1, shared>
func.func @epilogue_after_release(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %x = arith.constant dense<2.0> : !t
  %c = pipe.create_channel : !r
  pipe.warp_specialize {
    pipe.partition mma warps = 4 {
      pipe.put %x, %c : !r
    }
  }
  %v = pipe.get %c : !r
  pipe.release %c : !r
  tile.store %v, %out[%c0] : !t, memref<4xf32>
  return
}

// OVER: [[@LINE+13]]:3: error: unsynchronized access: 'tile.store' uses a value obtained by pipe.get after its pipe.release
func.func @epilogue_overwritten(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %x = arith.constant dense<2.0> : !t
  %c = pipe.create_channel : !r
  pipe.warp_specialize {
    pipe.partition mma warps = 4 {
      pipe.put %x, %c : !r
    }
  }
  %v = pipe.get %c : !r
  pipe.release %c : !r
  pipe.put %x, %c : !r
  tile.store %v, %out[%c0] : !t, memref<4xf32>
  %w = pipe.get %c : !r
  pipe.release %c : !r
  return
}
