#!/usr/bin/env python3
"""numpy references for the weft-tile-kernels tests.

usage: reference.py KERNEL INPUT_DIR OUTPUT_DIR [--atol A] [--rtol R]

Reads the arguments weft-run wrote with --save-inputs (argN.npy) and the
memrefs it wrote with --save-outputs, recomputes the graph-level kernel in
float64 from the same inputs and compares the output argument (numpy.allclose
rule). Prints the max errors; exits 1 on a mismatch.
"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "utils"))
from npcheck import load, main as check  # noqa: E402


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def gelu_erf(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def matmul_epilogue(d):
    # relu(res + gelu_tanh(a @ b + bias))
    a, b, bias, res = (load(d, i) for i in range(4))
    return {4: np.maximum(res + gelu_tanh(a @ b + bias), 0)}


def matmul_bias_relu(d):
    # relu(a @ b + bias), f16 output
    a, b, bias = (load(d, i) for i in range(3))
    return {3: np.maximum(a @ b + bias, 0)}


def split_heads(d):
    # (a @ b + bias) [M, H*D] -> [H, M, D] with D = 12
    a, b, bias = (load(d, i) for i in range(3))
    y = a @ b + bias
    return {3: y.reshape(y.shape[0], -1, 12).transpose(1, 0, 2)}


def merge_heads(d):
    o = attention(d, False, 0.25)[3]
    return {3: o.transpose(1, 0, 2).reshape(o.shape[1], -1)}


def batched_matmul(d):
    # gelu_erf(a @ b) * s, a: [B, M, K], b: [K, N], s: [B, 1, N]
    a, b, s = (load(d, i) for i in range(3))
    return {3: gelu_erf(a @ b) * s}


def elementwise(d):
    # tanh(x * y) + sigmoid(z) - max(neg(x), exp(x) / 2), x [B, M, N],
    # y [N], z [M, 1]; second result erf(x) + sqrt(1.5)
    x, y, z = (load(d, i) for i in range(3))
    erf = np.vectorize(math.erf)
    return {3: np.tanh(x * y) + sigmoid(z) - np.maximum(-x, np.exp(x) / 2),
            4: erf(x) + np.sqrt(1.5)}


def attention(d, causal, scale):
    q, k, v = load(d, 0), load(d, 1), load(d, 2)
    s = np.einsum("bsd,btd->bst", q, k) * scale
    if causal:
        S, T = q.shape[1], k.shape[1]
        rows = np.arange(S)[:, None] + (T - S)
        s = np.where(np.arange(T)[None, :] <= rows, s, -np.inf)
    p = np.exp(s - s.max(axis=2, keepdims=True))
    return {3: np.einsum("bst,btd->bsd", p, v) / p.sum(axis=2, keepdims=True)}


def layer_norm(d):
    x, g, b = load(d, 0), load(d, 1), load(d, 2)
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return {3: (x - mean) / np.sqrt(var + 1e-5) * g + b}


def rms_norm(d):
    x, g = load(d, 0), load(d, 1)
    ms = (x**2).mean(axis=-1, keepdims=True)
    return {2: x / np.sqrt(ms + 1e-6) * g}


def softmax(d):
    x = load(d, 0)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return {1: e / e.sum(axis=-1, keepdims=True)}


def qmatmul(d):
    # x @ ((q - zp) * scale) with blocks of 32 rows along K, then relu.
    x, q, scale, zero = (load(d, i) for i in range(4))
    K, block = q.shape[0], 32
    zero = np.repeat(zero, block, axis=0)[:K]
    scale = np.repeat(scale, block, axis=0)[:K]
    return {4: np.maximum(x @ ((q - zero) * scale), 0)}


KERNELS = {
    "matmul-epilogue": matmul_epilogue,
    "batched-matmul": batched_matmul,
    "matmul-bias-relu": matmul_bias_relu,
    "split-heads": split_heads,
    "merge-heads": merge_heads,
    "elementwise": elementwise,
    "attention": lambda d: attention(d, False, 0.25),
    "attention-causal": lambda d: attention(d, True, 0.125),
    "layer-norm": layer_norm,
    "rms-norm": rms_norm,
    "softmax": softmax,
    "qmatmul": qmatmul,
}


if __name__ == "__main__":
    sys.exit(check(KERNELS))
