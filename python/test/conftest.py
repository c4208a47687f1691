"""Shared inputs of the Python tests."""
import sys
from pathlib import Path

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parents[2]
# The builder of PyTorch-shaped ONNX models the lit tests use too.
sys.path.insert(0, str(ROOT / "test" / "Tools" / "Inputs"))


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def mlp_model():
    """MatMul + bias + Relu in float16, as test/Tools/Inputs/mlp.py."""
    rng = np.random.default_rng(0)
    w = numpy_helper.from_array(
        rng.standard_normal((256, 512)).astype(np.float16), "w")
    b = numpy_helper.from_array(rng.standard_normal(512).astype(np.float16),
                                "b")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["mm"], name="fc"),
         helper.make_node("Add", ["mm", "b"], ["biased"], name="bias"),
         helper.make_node("Relu", ["biased"], ["y"], name="act")],
        "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT16, [128, 256])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT16, [128, 512])],
        [w, b])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 17)])
