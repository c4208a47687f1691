#!/usr/bin/env python3
"""numpy side of the CUDA runtime tests.

  numpy_check.py inputs DIR N          writes DIR/a.npy, DIR/b.npy (f32, N)
  numpy_check.py axpy DIR ALPHA        checks DIR/c.npy == a + ALPHA * b
  numpy_check.py same X.npy Y.npy      checks that the arrays are identical
"""
import sys

import numpy as np


def main(argv):
    command = argv[1]
    if command == "inputs":
        rng = np.random.default_rng(11)
        n = int(argv[3])
        np.save(argv[2] + "/a.npy", rng.uniform(-1, 1, n).astype(np.float32))
        np.save(argv[2] + "/b.npy", rng.uniform(-1, 1, n).astype(np.float32))
        return 0
    if command == "axpy":
        d, alpha = argv[2], np.float32(argv[3])
        a, b, c = (np.load(f"{d}/{x}.npy") for x in "abc")
        want = a.astype(np.float64) + np.float64(alpha) * b
        err = np.abs(c - want).max()
        ok = c.shape == a.shape and np.allclose(c, want, rtol=1e-6, atol=1e-6)
        print(f"numpy axpy: {c.shape[0]} elements, max abs err {err:.3e}: "
              f"{'PASS' if ok else 'FAIL'}")
        return 0 if ok else 1
    if command == "same":
        x, y = np.load(argv[2]), np.load(argv[3])
        ok = x.shape == y.shape and np.array_equal(x, y)
        print(f"numpy same: {x.shape} {x.dtype}, nonzero {np.count_nonzero(y)}: "
              f"{'PASS' if ok else 'FAIL'}")
        return 0 if ok else 1
    print(f"unknown command {command}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
