"""Malformed and unsupported ONNX models for the bad-input catalogue.

    %python bad_models.py <name> <out.onnx>

writes the model `<name>` (a function below). Each is small and
deterministic, and each breaks exactly one rule.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F16 = TensorProto.FLOAT16
F32 = TensorProto.FLOAT


def model(nodes, inputs, outputs, initializers=(), opset=21, ms=False):
    graph = helper.make_graph(nodes, "bad", inputs, outputs,
                              initializer=list(initializers))
    opsets = [helper.make_opsetid("", opset)]
    if ms:
        opsets.append(helper.make_opsetid("com.microsoft", 1))
    return helper.make_model(graph, opset_imports=opsets,
                             producer_name="weft-errors")


def value(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def matmul_relu():
    """A valid model with one matmul kernel (the base of the others)."""
    w = np.arange(64 * 64, dtype=np.float16).reshape(64, 64) / 4096
    return model([helper.make_node("MatMul", ["x", "w"], ["m"], name="mm"),
                  helper.make_node("Relu", ["m"], ["y"], name="relu")],
                 [value("x", F16, [64, 64])], [value("y", F16, [64, 64])],
                 [init("w", w.astype(np.float16))])


def dynamic_matmul():
    """A batch dimension the compiler cannot tile: x is [?, 64]."""
    m = matmul_relu()
    m.graph.input[0].type.tensor_type.shape.dim[0].dim_param = "batch"
    m.graph.output[0].type.tensor_type.shape.dim[0].dim_param = "batch"
    return m


def dequant_matmul(node_name, axis, scale, zero_point):
    """x @ DequantizeLinear(w: int8 [4, 4], scale, zero_point; axis)."""
    w = np.arange(16, dtype=np.int8).reshape(4, 4)
    return model([helper.make_node("DequantizeLinear", ["w", "s", "z"], ["d"],
                                   name=node_name, axis=axis),
                  helper.make_node("MatMul", ["x", "d"], ["y"], name="mm")],
                 [value("x", F32, [2, 4])], [value("y", F32, [2, 4])],
                 [init("w", w), init("s", scale), init("z", zero_point)])


def dequant_scale_mismatch():
    """Per-axis scales with 3 entries for an axis of size 4."""
    return dequant_matmul("dq", 0, np.ones(3, np.float32),
                          np.zeros(3, np.int8))


def dequant_zero_point_type():
    """A uint8 zero point for int8 data."""
    return dequant_matmul("dq_zp", 1, np.ones(4, np.float32),
                          np.zeros(4, np.uint8))


def nbits_scales_mismatch():
    """MatMulNBits with scales for 3 blocks where N * n_blocks = 4."""
    k, n, block = 32, 2, 16
    b = np.zeros((n, k // block, block // 2), np.uint8)
    node = helper.make_node("MatMulNBits", ["x", "b", "s"], ["y"],
                            name="mmnb_scales", domain="com.microsoft",
                            K=k, N=n, bits=4, block_size=block)
    return model([node], [value("x", F32, [1, k])], [value("y", F32, [1, n])],
                 [init("b", b), init("s", np.ones(3, np.float32))], ms=True)


def external_data(location):
    """matmul_relu with its weight stored externally at `location`."""
    m = matmul_relu()
    w = m.graph.initializer[0]
    w.ClearField("raw_data")
    w.data_location = TensorProto.EXTERNAL
    for key, val in (("location", location), ("offset", "0")):
        entry = w.external_data.add()
        entry.key, entry.value = key, val
    return m


def external_data_escape():
    """External data whose 'location' climbs out of the model's directory."""
    return external_data("../../etc/passwd")


def external_data_short():
    """External data in a file shorter than the tensor (the test writes
    4 bytes to short.bin; the weight needs 8 KiB)."""
    return external_data("short.bin")


def main():
    name, out = sys.argv[1], sys.argv[2]
    if name == "truncated":
        data = matmul_relu().SerializeToString()
        with open(out, "wb") as f:
            f.write(data[:len(data) // 3])
        return
    if name == "corrupt":
        # The first field's key says wire type 7, which does not exist.
        data = bytearray(matmul_relu().SerializeToString())
        data[0] = (data[0] & ~0x7) | 0x7
        with open(out, "wb") as f:
            f.write(bytes(data))
        return
    onnx.save(globals()[name](), out)


if __name__ == "__main__":
    main()
