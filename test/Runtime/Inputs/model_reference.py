#!/usr/bin/python3
"""numpy reference of a model for the CPU runtime tests.

    model_reference.py input MODEL OUT.npy [--seed N]
        writes a seeded random input of the model's (single) input
    model_reference.py check MODEL IN.npy GOT.npy [--atol A] [--rtol R]
        runs the numpy implementation of utils/bench-cpu.py on IN.npy and
        compares with GOT.npy (numpy.allclose rule); prints the max error
        and `numpy check: PASS|FAIL`, exits 1 on a mismatch
"""
import argparse
import importlib.util
import os
import sys

import numpy as np
import onnx

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))
spec = importlib.util.spec_from_file_location(
    "bench_cpu", os.path.join(ROOT, "utils", "bench-cpu.py"))
bench_cpu = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_cpu)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["input", "check"])
    parser.add_argument("model")
    parser.add_argument("files", nargs="+")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--atol", type=float, default=1e-2)
    parser.add_argument("--rtol", type=float, default=1e-2)
    args = parser.parse_args()
    if args.mode == "input":
        graph = onnx.load(args.model).graph
        info = graph.input[0].type.tensor_type
        shape = [d.dim_value for d in info.shape.dim]
        dtype = onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[info.elem_type]
        x = np.random.default_rng(args.seed).standard_normal(shape)
        np.save(args.files[0], x.astype(dtype))
        return 0
    x = np.load(args.files[0])
    got = np.load(args.files[1]).astype(np.float64)
    want = bench_cpu.NumpyModel(args.model).run(x).astype(np.float64)
    return compare(got, want, args.atol, args.rtol)


def compare(got, want, atol, rtol):
    """numpy.allclose rule; prints the max error and `numpy check:
    PASS|FAIL`, returns the exit status."""
    if got.shape != want.shape:
        print("shape %s, expected %s" % (got.shape, want.shape))
        print("numpy check: FAIL")
        return 1
    err = np.abs(got - want)
    bad = ~(err <= atol + rtol * np.abs(want))
    print("max abs err %.3e, %d mismatches" % (err.max(), bad.sum()))
    print("numpy check: %s" % ("FAIL" if bad.any() else "PASS"))
    return 1 if bad.any() else 0


if __name__ == "__main__":
    sys.exit(main())
