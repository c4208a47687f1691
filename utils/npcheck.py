#!/usr/bin/env python3
"""Compares what `weft-run --save-outputs` wrote with numpy references.

Test scripts define their kernels as functions from the directory of inputs
weft-run saved (--save-inputs, argN.npy) to {output argument index: expected
array in float64} and hand them to `main`, which parses
`KERNEL INPUT_DIR OUTPUT_DIR [--atol A] [--rtol R]`, prints the max errors
per output and `numpy check: PASS|FAIL` (numpy.allclose rule), and exits 1
on a mismatch.
"""
import argparse
import os
import sys

import numpy as np


def load(directory, index):
    """Argument `index` as weft-run saved it, in float64."""
    return np.load(os.path.join(directory, "arg%d.npy" % index)).astype(
        np.float64)


def main(kernels):
    parser = argparse.ArgumentParser()
    parser.add_argument("kernel", choices=sorted(kernels))
    parser.add_argument("inputs")
    parser.add_argument("outputs")
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--rtol", type=float, default=1e-5)
    args = parser.parse_args()
    ok = True
    for index, want in kernels[args.kernel](args.inputs).items():
        got = load(args.outputs, index)
        if got.shape != want.shape:
            print("arg%d: shape %s, expected %s" % (index, got.shape, want.shape))
            ok = False
            continue
        err = np.abs(got - want)
        bad = ~(err <= args.atol + args.rtol * np.abs(want))
        print("arg%d: max abs err %.3e, max rel err %.3e, %d of %d outside "
              "tolerance" % (index, err.max(),
                             (err / np.maximum(np.abs(want), 1e-30)).max(),
                             bad.sum(), bad.size))
        ok = ok and not bad.any()
    print("numpy check:", "PASS" if ok else "FAIL")
    return 0 if ok else 1
