#!/usr/bin/env python3
"""numpy references for the interpreter tests.

usage: reference.py KERNEL INPUT_DIR OUTPUT_DIR --atol A --rtol R

Reads the arguments weft-run wrote with --save-inputs (argN.npy) and the
memrefs it wrote with --save-outputs, recomputes the kernel's output in
float64 and compares (numpy.allclose rule). Prints the max errors; exits 1 on
a mismatch.
"""
import argparse
import os
import sys

import numpy as np


def load(d, i):
    return np.load(os.path.join(d, "arg%d.npy" % i)).astype(np.float64)


def gemm(inp, out):
    a, b = load(inp, 0), load(inp, 1)
    return {2: a @ b}


def attention(inp, out):
    q, k, v = load(inp, 0), load(inp, 1), load(inp, 2)
    s = q @ k.T
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return {3: (p @ v) / p.sum(axis=1, keepdims=True)}


def dequant_gemm(inp, out):
    x, q, scale, zero = (load(inp, i) for i in range(4))
    block = q.shape[0] // scale.shape[0]
    w = (q - np.repeat(zero, block, axis=0)) * np.repeat(scale, block, axis=0)
    # tile.dequant's result is f16: each weight is rounded once.
    w = w.astype(np.float16).astype(np.float64)
    return {4: x @ w}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kernel", choices=["gemm", "attention", "dequant-gemm"])
    parser.add_argument("inputs")
    parser.add_argument("outputs")
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--rtol", type=float, default=1e-5)
    args = parser.parse_args()
    fn = {"gemm": gemm, "attention": attention,
          "dequant-gemm": dequant_gemm}[args.kernel]
    ok = True
    for index, want in fn(args.inputs, args.outputs).items():
        got = load(args.outputs, index)
        if got.shape != want.shape:
            print("arg%d: shape %s, expected %s" % (index, got.shape, want.shape))
            ok = False
            continue
        err = np.abs(got - want)
        bad = err > args.atol + args.rtol * np.abs(want)
        print("arg%d: max abs err %.3e, max rel err %.3e, %d of %d outside "
              "tolerance" % (index, err.max(),
                             (err / np.maximum(np.abs(want), 1e-30)).max(),
                             bad.sum(), bad.size))
        ok = ok and not bad.any()
    print("numpy check:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
