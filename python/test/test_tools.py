"""The Python driver runs weft-opt and surfaces its diagnostics."""
import pytest

import weft

GRAPH = """
func.func @main(%a: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = weft.add %a, %b : tensor<4x8xf32>, tensor<8xf32>
  %1 = weft.relu %0 : tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}
"""


def test_round_trip_infers_shapes():
    out = weft.opt(GRAPH)
    assert "weft.add %arg0, %arg1 : tensor<4x8xf32>, tensor<8xf32>" in out


def test_pass_list_wraps_kernels():
    out = weft.opt(GRAPH, ["weft-wrap-kernels"])
    assert out.count("weft.kernel @main_") == 2


def test_textual_pipeline():
    out = weft.opt(GRAPH, "builtin.module(func.func(weft-wrap-kernels))")
    assert "weft.kernel @main_relu_1" in out


def test_invalid_ir_raises_with_location():
    bad = GRAPH.replace("tensor<8xf32>) -> tensor<4x8xf32> {",
                        "tensor<3xf32>) -> tensor<4x8xf32> {").replace(
        "tensor<4x8xf32>, tensor<8xf32>\n", "tensor<4x8xf32>, tensor<3xf32>\n")
    with pytest.raises(weft.WeftError) as info:
        weft.opt(bad)
    assert "<stdin>:3:" in info.value.diagnostics
    assert "do not broadcast" in info.value.diagnostics
