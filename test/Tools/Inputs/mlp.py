"""Writes a small MLP layer (MatMul + bias + Relu, float16) as ONNX.

  mlp.py OUT.onnx     (the Python tests import build())
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def build():
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


if __name__ == "__main__":
    onnx.save(build(), sys.argv[1])
