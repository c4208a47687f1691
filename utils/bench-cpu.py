#!/usr/bin/python3
"""Host-CPU time of a model compiled by Weft against numpy, in one run.

    /usr/bin/python3 utils/bench-cpu.py --bin build/bin \\
        [--model docs/examples/transformer_block.onnx] [--repeat 50]

Compiles the model with `weft-compile --target=host`, times `weft-run
--model ... --repeat N` (mean per run, measured inside weft-run around the
model's entry point: no process start, no JIT link), and times a numpy
implementation of the same graph on the same input (mean of N runs after a
warm-up). numpy computes in float32 with the weights converted and the
int4 weights dequantized once before timing (what a numpy deployment would
do); Weft runs the float16 model as compiled, dequantizing in its kernels.
Prints both times, the ratio weft / numpy, and the max difference between
the two outputs as a sanity check.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def unpack_nbits(node, weights):
    """MatMulNBits' B / scales / zero points to a float32 [K, N] weight."""
    k, n = attr(node, "K"), attr(node, "N")
    bits, block = attr(node, "bits"), attr(node, "block_size")
    if bits != 4:
        raise SystemExit("bench-cpu: only 4-bit MatMulNBits is implemented")
    packed = weights[node.input[1]]
    n_blocks = packed.shape[1]
    q = np.empty((n, n_blocks, block), np.float32)
    q[..., 0::2] = packed & 0xF
    q[..., 1::2] = packed >> 4
    scales = weights[node.input[2]].astype(np.float32).reshape(n, n_blocks)
    if len(node.input) > 3 and node.input[3]:
        zp = weights[node.input[3]].reshape(n, -1)
        zero = np.empty((n, zp.shape[1] * 2), np.float32)
        zero[:, 0::2] = zp & 0xF
        zero[:, 1::2] = zp >> 4
        zero = zero[:, :n_blocks]
    else:
        zero = np.full((n, n_blocks), 8, np.float32)
    w = (q - zero[..., None]) * scales[..., None]
    return np.ascontiguousarray(w.reshape(n, -1)[:, :k].T)


def erf(x):
    """numpy has no erf: scipy's where installed, else Abramowitz & Stegun
    7.1.26 (absolute error below 1.5e-7, far below the f16 output's ulp)."""
    try:
        import scipy.special
        return scipy.special.erf(x)
    except ImportError:
        t = 1.0 / (1.0 + 0.3275911 * np.abs(x))
        poly = t * (0.254829592 + t * (-0.284496736 + t * (
            1.421413741 + t * (-1.453152027 + t * 1.061405429))))
        return np.sign(x) * (1.0 - poly * np.exp(-x * x))


class NumpyModel:
    """The ops of the transformer block in numpy, float32."""

    def __init__(self, path):
        model = onnx.load(path)
        self.graph = model.graph
        self.weights = {i.name: numpy_helper.to_array(i)
                        for i in self.graph.initializer}
        self.prepared = {}
        for node in self.graph.node:
            if node.op_type == "MatMulNBits":
                self.prepared[node.name] = unpack_nbits(node, self.weights)
        self.f32 = {k: (v.astype(np.float32) if v.dtype == np.float16 else v)
                    for k, v in self.weights.items()}

    def run(self, x):
        env = dict(self.f32)
        env[self.graph.input[0].name] = x.astype(np.float32)
        for node in self.graph.node:
            ins = [env[i] if i else None for i in node.input]
            op = node.op_type
            if op == "LayerNormalization":
                eps = attr(node, "epsilon", 1e-5)
                mean = ins[0].mean(-1, keepdims=True)
                var = ((ins[0] - mean) ** 2).mean(-1, keepdims=True)
                out = (ins[0] - mean) / np.sqrt(var + eps) * ins[1] + ins[2]
            elif op == "MatMul":
                out = ins[0] @ ins[1]
            elif op == "Add":
                out = ins[0] + ins[1]
            elif op == "Mul":
                out = ins[0] * ins[1]
            elif op == "Reshape":
                shape = [ins[0].shape[i] if s == 0 else s
                         for i, s in enumerate(ins[1])]
                out = ins[0].reshape(shape)
            elif op == "Transpose":
                out = np.transpose(ins[0], attr(node, "perm"))
            elif op == "Softmax":
                e = np.exp(ins[0] - ins[0].max(-1, keepdims=True))
                out = e / e.sum(-1, keepdims=True)
            elif op == "MatMulNBits":
                out = ins[0] @ self.prepared[node.name]
            elif op == "Gelu":
                out = 0.5 * ins[0] * (1 + erf(ins[0] / np.sqrt(2)))
            else:
                raise SystemExit("bench-cpu: no numpy implementation of " + op)
            env[node.output[0]] = out
        return env[self.graph.output[0].name]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    parser.add_argument("--model", default=os.path.join(
        ROOT, "docs", "examples", "transformer_block.onnx"))
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="weft-bench-cpu-")
    out = os.path.join(work, "model")
    subprocess.run([os.path.join(args.bin, "weft-compile"), args.model,
                    "--target=host", "-o", out, "--emit=tile"], check=True)
    reference = NumpyModel(args.model)
    info = reference.graph.input[0]
    shape = [d.dim_value for d in info.type.tensor_type.shape.dim]
    dtype = onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[
        info.type.tensor_type.elem_type]
    x = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    x_path = os.path.join(work, "x.npy")
    np.save(x_path, x)

    ran = subprocess.run(
        [os.path.join(args.bin, "weft-run"), "--model", out,
         "--input=" + x_path, "--repeat=%d" % args.repeat,
         "--save-outputs=" + work], check=True, capture_output=True, text=True)
    weft_ms = float(re.search(r"time: ([0-9.]+) ms", ran.stdout).group(1))
    got = np.load(os.path.join(work, "result0.npy")).astype(np.float32)

    want = reference.run(x)  # warm-up
    start = time.perf_counter()
    for _ in range(args.repeat):
        want = reference.run(x)
    numpy_ms = (time.perf_counter() - start) * 1e3 / args.repeat

    diff = float(np.max(np.abs(got - want)))
    print("model: %s" % os.path.relpath(args.model))
    print("weft (host, compiled): %.3f ms per run" % weft_ms)
    print("numpy (float32):       %.3f ms per run" % numpy_ms)
    print("ratio weft / numpy:    %.2f" % (weft_ms / numpy_ms))
    print("max |weft - numpy|:    %.3g" % diff)
    return 0


if __name__ == "__main__":
    sys.exit(main())
