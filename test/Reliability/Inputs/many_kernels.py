"""A model of N kernels for load tests:

    %python many_kernels.py <N> <out.onnx>

a chain x -> MatMul(w0) -> Softmax -> MatMul(w1) -> Softmax -> ... of N ops
on [64, 64] float16 tensors. Graph fusion never fuses two roots (matmul ->
softmax, softmax -> matmul), so every op is its own kernel: N kernels, N / 2
of them matmuls with a K loop to schedule. Weights are seeded.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    rng = np.random.default_rng(0)
    nodes, weights = [], []
    current = "x"
    for i in range(count):
        if i % 2 == 0:
            w = rng.standard_normal((64, 64)).astype(np.float16)
            weights.append(numpy_helper.from_array(w, f"w{i}"))
            nodes.append(helper.make_node("MatMul", [current, f"w{i}"],
                                          [f"t{i}"], name=f"matmul{i}"))
        else:
            nodes.append(helper.make_node("Softmax", [current], [f"t{i}"],
                                          name=f"softmax{i}", axis=-1))
        current = f"t{i}"
    f16 = TensorProto.FLOAT16
    graph = helper.make_graph(
        nodes, "many_kernels", [helper.make_tensor_value_info("x", f16, [64, 64])],
        [helper.make_tensor_value_info(current, f16, [64, 64])],
        initializer=weights)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]),
              out)


if __name__ == "__main__":
    main()
