"""Writes ONNX models shaped like torch.onnx.export's output (opset 17/18,
"/layers.0/..." node names, nn.Linear on a [batch, tokens, features] input
as MatMul with a pre-transposed "onnx::MatMul_N" weight + Add of
"layers.0.fc1.bias", nn.GELU as the Erf pattern, nn.LayerNorm as
LayerNormalization), since torch itself cannot be installed here.

  torch_like.py OUT.onnx [--opset N] [--act relu|gelu] [--bad-node]

--act gelu writes nn.GELU() as torch does below opset 20 (Div, Erf, Add,
Mul, Mul); nn.ReLU() is one Relu node. --bad-node adds a node Weft does not
import (TopK), named as torch names it, to check that the error carries the
node name.
"""
import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def build(opset=17, bad_node=False, act="relu", batch=True, hidden=128,
          ffn=256, tokens=64):
    """`batch`: inputs [1, tokens, hidden] as nn.Linear sees them in a
    transformer, else [tokens, hidden]."""
    global shape
    shape = (lambda *dims: [1, *dims]) if batch else (lambda *dims: list(dims))
    rng = np.random.default_rng(0)
    inits, nodes = [], []

    def weight(name, shape):
        inits.append(numpy_helper.from_array(
            (rng.standard_normal(shape) * 0.05).astype(np.float32), name))
        return name

    def const(name, value):
        inits.append(numpy_helper.from_array(np.array(value, np.float32),
                                             name))
        return name

    x = "input"
    prefix = "/layers.0"
    nodes.append(helper.make_node(
        "LayerNormalization",
        [x, weight("layers.0.norm.weight", [hidden]),
         weight("layers.0.norm.bias", [hidden])],
        [f"{prefix}/norm/LayerNormalization_output_0"],
        name=f"{prefix}/norm/LayerNormalization", axis=-1, epsilon=1e-5))
    h = f"{prefix}/norm/LayerNormalization_output_0"
    # nn.Linear: MatMul with the weight transposed at export, then Add.
    def linear(name, h, fan_in, fan_out, out=None):
        mm = f"{prefix}/{name}/MatMul_output_0"
        nodes.append(helper.make_node(
            "MatMul", [h, weight(f"onnx::MatMul_{len(inits) + 100}",
                                 [fan_in, fan_out])],
            [mm], name=f"{prefix}/{name}/MatMul"))
        out = out or f"{prefix}/{name}/Add_output_0"
        nodes.append(helper.make_node(
            "Add", [weight(f"layers.0.{name}.bias", [fan_out]), mm], [out],
            name=f"{prefix}/{name}/Add"))
        return out

    h = linear("fc1", h, hidden, ffn)
    if act == "relu":
        nodes.append(helper.make_node("Relu", [h],
                                      [f"{prefix}/act/Relu_output_0"],
                                      name=f"{prefix}/act/Relu"))
        return finish(nodes, inits, linear(
            "fc2", f"{prefix}/act/Relu_output_0", ffn, hidden, out="output"),
            opset, bad_node, tokens, hidden, x)
    # nn.GELU(): x * 0.5 * (1 + erf(x / sqrt(2))), as torch writes it.
    act = f"{prefix}/act"
    nodes += [
        helper.make_node("Div", [h, const(f"{act}/Constant_output_0",
                                          1.4142135)],
                         [f"{act}/Div_output_0"], name=f"{act}/Div"),
        helper.make_node("Erf", [f"{act}/Div_output_0"],
                         [f"{act}/Erf_output_0"], name=f"{act}/Erf"),
        helper.make_node("Add", [f"{act}/Erf_output_0",
                                 const(f"{act}/Constant_1_output_0", 1.0)],
                         [f"{act}/Add_output_0"], name=f"{act}/Add"),
        helper.make_node("Mul", [h, f"{act}/Add_output_0"],
                         [f"{act}/Mul_output_0"], name=f"{act}/Mul"),
        helper.make_node("Mul", [f"{act}/Mul_output_0",
                                 const(f"{act}/Constant_2_output_0", 0.5)],
                         [f"{act}/Mul_1_output_0"], name=f"{act}/Mul_1"),
    ]
    h = f"{act}/Mul_1_output_0"
    return finish(nodes, inits, linear("fc2", h, ffn, hidden, out="output"),
                  opset, bad_node, tokens, hidden, x)


def finish(nodes, inits, output, opset, bad_node, tokens, hidden, x):
    """The model around `nodes`: graph input `x`, graph output `output`."""
    outputs = [helper.make_tensor_value_info("output", TensorProto.FLOAT,
                                             shape(tokens, hidden))]
    if bad_node:
        inits.append(numpy_helper.from_array(np.array([4], np.int64),
                                             "/layers.0/Constant_output_0"))
        nodes.append(helper.make_node(
            "TopK", ["output", "/layers.0/Constant_output_0"],
            ["values", "indices"], name="/layers.0/TopK", axis=-1))
        outputs.append(helper.make_tensor_value_info(
            "values", TensorProto.FLOAT, shape(tokens, 4)))
    graph = helper.make_graph(
        nodes, "main_graph",
        [helper.make_tensor_value_info(x, TensorProto.FLOAT,
                                       shape(tokens, hidden))],
        outputs, inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)],
        producer_name="pytorch", producer_version="2.5.0")
    model.ir_version = 8
    return model


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--opset", type=int, default=17)
    parser.add_argument("--act", choices=["relu", "gelu"], default="relu")
    parser.add_argument("--no-batch", action="store_true")
    parser.add_argument("--bad-node", action="store_true")
    args = parser.parse_args()
    onnx.save(build(args.opset, args.bad_node, args.act, not args.no_batch),
              args.out)
