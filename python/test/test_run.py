"""Running tile and pipe programs on the CPU from Python with numpy arrays."""
import numpy as np
import pytest

import weft

GEMM = """
func.func @gemm(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>,
                %k: index) {
  %c0 = arith.constant 0 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %px = tile.program_id x
  %py = tile.program_id y
  %m = arith.muli %px, %c64 : index
  %n = arith.muli %py, %c64 : index
  %zero = arith.constant dense<0.0> : tensor<64x64xf32>
  %acc = scf.for %kk = %c0 to %k step %c32 iter_args(%x = %zero) -> tensor<64x64xf32> {
    %at = tile.load %a[%m, %kk] masked : memref<?x?xf16> -> tensor<64x32xf16>
    %bt = tile.load %b[%kk, %n] masked : memref<?x?xf16> -> tensor<32x64xf16>
    %d = tile.dot %at, %bt, %x : tensor<64x32xf16>, tensor<32x64xf16> -> tensor<64x64xf32>
    scf.yield %d : tensor<64x64xf32>
  }
  tile.store %acc, %c[%m, %n] : tensor<64x64xf32>, memref<?x?xf32>
  return
}

func.func @scale(%x: f32, %n: i32) -> (f32, i32) {
  %two = arith.constant 2.0 : f32
  %y = arith.mulf %x, %two : f32
  %m = arith.addi %n, %n : i32
  return %y, %m : f32, i32
}
"""


def test_gemm_matches_numpy():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((128, 80)).astype(np.float16)
    b = rng.standard_normal((80, 128)).astype(np.float16)
    c = np.zeros((128, 128), np.float32)
    assert weft.run(GEMM, "gemm", a, b, c, 80, grid=(2, 2)) == []
    expected = a.astype(np.float32) @ b.astype(np.float32)
    np.testing.assert_allclose(c, expected, rtol=1e-4, atol=1e-4)


def test_scalar_results_come_back_typed():
    y, m = weft.run(GEMM, "scale", 1.5, 21)
    assert y.dtype == np.float32 and y == 3.0
    assert m.dtype == np.int32 and m == 42


def test_run_errors_are_diagnostics():
    module = weft.Module.parse(GEMM)
    c = np.zeros((128, 128), np.float32)
    with pytest.raises(weft.WeftError) as info:
        weft.run(module, "gemm", np.zeros((4, 4, 4)), c, c, 80)
    assert "argument #0" in info.value.diagnostics
    assert "expected rank 2, got 3" in info.value.diagnostics
    with pytest.raises(weft.WeftError) as info:
        weft.run(module, "gemm", c)
    assert "takes 4 arguments, got 1" in info.value.diagnostics
    with pytest.raises(weft.WeftError) as info:
        weft.run(module, "missing")
    assert "no function @missing" in info.value.diagnostics
    with pytest.raises(weft.WeftError) as info:
        weft.run(module, "scale", 1.0, 2, backend="native")
    assert "not available in this build" in info.value.diagnostics
    with pytest.raises(ValueError):
        weft.run(module, "scale", 1.0, 2, backend="gpu")


def test_out_of_bounds_access_is_reported():
    a = np.zeros((64, 64), np.float16)
    c = np.zeros((64, 64), np.float32)
    # Unmasked loads past the end of a 64x64 input on a 2x2 grid.
    unmasked = GEMM.replace(" masked", "")
    with pytest.raises(weft.WeftError) as info:
        weft.run(unmasked, "gemm", a, a, c, 64, grid=(2, 2))
    assert "out-of-bounds read" in info.value.diagnostics


@pytest.mark.parametrize("target", ["sm_90a", "arm-sme2"])
def test_compiled_kernel_runs_on_the_interpreter(mlp_model, target):
    """The kernel weft.compile makes of MatMul + bias + Relu (on sm_90a the
    warp-specialized pipe program, partitions as concurrent agents) computes
    what numpy does, on the grid weft-tile-kernels chose."""
    from onnx import numpy_helper
    weights = {t.name: numpy_helper.to_array(t)
               for t in mlp_model.graph.initializer}
    result = weft.compile(mlp_model, target=target)
    (loop,) = result.schedules
    rng = np.random.default_rng(2)
    x = rng.standard_normal((128, 256)).astype(np.float16)
    y = np.zeros((128, 512), np.float16)
    weft.run(result.module, loop.function, x, weights["w"], weights["b"], y)
    expected = np.maximum(x.astype(np.float32) @ weights["w"].astype(
        np.float32) + weights["b"].astype(np.float32), 0)
    np.testing.assert_allclose(y.astype(np.float32), expected, rtol=2e-2,
                               atol=5e-2)
