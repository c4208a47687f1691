"""Run a tile program on the CPU interpreter and check it against numpy."""
import numpy as np

import weft

module = weft.Module.parse("""
func.func @axpy(%x: memref<64xf32>, %y: memref<64xf32>, %a: f32) {
  %c0 = arith.constant 0 : index
  %xt = tile.load %x[%c0] : memref<64xf32> -> tensor<64xf32>
  %yt = tile.load %y[%c0] : memref<64xf32> -> tensor<64xf32>
  %at = tensor.splat %a : tensor<64xf32>
  %ax = arith.mulf %at, %xt : tensor<64xf32>
  %r = arith.addf %ax, %yt : tensor<64xf32>
  tile.store %r, %y[%c0] : tensor<64xf32>, memref<64xf32>
  return
}
""")
x = np.arange(64, dtype=np.float32)
y = np.ones(64, dtype=np.float32)
weft.run(module, "axpy", x, y, 2.0)  # y is updated in place
np.testing.assert_allclose(y, 2.0 * np.arange(64) + 1.0)
print("axpy on the interpreter matches numpy")
