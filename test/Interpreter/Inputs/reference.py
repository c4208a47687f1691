#!/usr/bin/env python3
"""numpy references for the interpreter tests.

usage: reference.py KERNEL INPUT_DIR OUTPUT_DIR --atol A --rtol R

Reads the arguments weft-run wrote with --save-inputs (argN.npy) and the
memrefs it wrote with --save-outputs, recomputes the kernel's output in
float64 and compares (numpy.allclose rule). Prints the max errors; exits 1 on
a mismatch.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "utils"))
from npcheck import load, main as check  # noqa: E402


def gemm(inp):
    a, b = load(inp, 0), load(inp, 1)
    return {2: a @ b}


def attention(inp):
    q, k, v = load(inp, 0), load(inp, 1), load(inp, 2)
    s = q @ k.T
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return {3: (p @ v) / p.sum(axis=1, keepdims=True)}


def dequant_gemm(inp):
    x, q, scale, zero = (load(inp, i) for i in range(4))
    block = q.shape[0] // scale.shape[0]
    w = (q - np.repeat(zero, block, axis=0)) * np.repeat(scale, block, axis=0)
    # tile.dequant's result is f16: each weight is rounded once.
    w = w.astype(np.float16).astype(np.float64)
    return {4: x @ w}


KERNELS = {"gemm": gemm, "attention": attention, "dequant-gemm": dequant_gemm}

if __name__ == "__main__":
    sys.exit(check(KERNELS))
