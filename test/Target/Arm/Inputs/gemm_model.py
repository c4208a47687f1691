#!/usr/bin/python3
"""A GEMM with a bias + activation epilogue as ONNX, its input and its
numpy reference, for the Arm kernel tests.

    gemm_model.py model OUT.onnx M K N DTYPE [--act relu|gelu|none] [--trans-b]
    gemm_model.py input MODEL OUT.npy [--seed S]
    gemm_model.py check MODEL IN.npy GOT.npy [--atol A] [--rtol R]

DTYPE is float32 or float16 (the weights, the input and the output; the
kernels accumulate in float32 either way). The reference computes in
float64 and rounds to DTYPE once at the end.
"""
import argparse
import importlib.util
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# The comparison (numpy.allclose rule, `numpy check: PASS|FAIL`) of the CPU
# runtime tests.
_spec = importlib.util.spec_from_file_location(
    "model_reference",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                 "Runtime", "Inputs", "model_reference.py"))
_reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_reference)
compare = _reference.compare

TYPES = {"float32": (np.float32, TensorProto.FLOAT),
         "float16": (np.float16, TensorProto.FLOAT16)}


def build(m, k, n, dtype, act, trans_b):
    np_type, onnx_type = TYPES[dtype]
    rng = np.random.default_rng(7)
    w = rng.standard_normal((n, k) if trans_b else (k, n)).astype(np_type)
    b = rng.standard_normal(n).astype(np_type)
    nodes = []
    weight = "w"
    if trans_b:
        nodes.append(helper.make_node("Transpose", ["w"], ["wt"],
                                      perm=[1, 0], name="transpose"))
        weight = "wt"
    nodes += [helper.make_node("MatMul", ["x", weight], ["mm"], name="fc"),
              helper.make_node("Add", ["mm", "b"], ["biased"], name="bias")]
    out = "biased"
    if act == "relu":
        nodes.append(helper.make_node("Relu", ["biased"], ["y"], name="act"))
        out = "y"
    elif act == "gelu":
        nodes.append(helper.make_node("Gelu", ["biased"], ["y"], name="act",
                                      domain=""))
        out = "y"
    graph = helper.make_graph(
        nodes, "gemm",
        [helper.make_tensor_value_info("x", onnx_type, [m, k])],
        [helper.make_tensor_value_info(out, onnx_type, [m, n])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)])


def reference(model, x):
    graph = model.graph
    weights = {t.name: numpy_helper.to_array(t).astype(np.float64)
               for t in graph.initializer}
    values = {"x": x.astype(np.float64)}
    values.update(weights)
    for node in graph.node:
        ins = [values[i] for i in node.input]
        if node.op_type == "Transpose":
            r = ins[0].T
        elif node.op_type == "MatMul":
            r = ins[0] @ ins[1]
        elif node.op_type == "Add":
            r = ins[0] + ins[1]
        elif node.op_type == "Relu":
            r = np.maximum(ins[0], 0)
        elif node.op_type == "Gelu":
            erf = np.vectorize(math.erf)
            r = 0.5 * ins[0] * (1 + erf(ins[0] / math.sqrt(2)))
        else:
            raise SystemExit("no reference for " + node.op_type)
        values[node.output[0]] = r
    return values[graph.output[0].name]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["model", "input", "check"])
    parser.add_argument("args", nargs="+")
    parser.add_argument("--act", default="relu")
    parser.add_argument("--trans-b", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--atol", type=float, default=1e-4)
    parser.add_argument("--rtol", type=float, default=1e-4)
    a = parser.parse_args()
    if a.mode == "model":
        out, m, k, n, dtype = a.args
        onnx.save(build(int(m), int(k), int(n), dtype, a.act, a.trans_b), out)
        return 0
    model = onnx.load(a.args[0])
    info = model.graph.input[0].type.tensor_type
    shape = [d.dim_value for d in info.shape.dim]
    np_type = {TensorProto.FLOAT: np.float32,
               TensorProto.FLOAT16: np.float16}[info.elem_type]
    if a.mode == "input":
        x = np.random.default_rng(a.seed).standard_normal(shape)
        np.save(a.args[1], x.astype(np_type))
        return 0
    x = np.load(a.args[1])
    got = np.load(a.args[2]).astype(np.float64)
    want = reference(model, x).astype(np_type).astype(np.float64)
    return compare(got, want, a.atol, a.rtol)

if __name__ == "__main__":
    sys.exit(main())
