#!/usr/bin/env python3
"""numpy references for the FlashAttention inputs (Inputs/fa3-*.mlir).

usage: attention_reference.py attention|attention-causal INPUT_DIR OUTPUT_DIR
           --atol A --rtol R

softmax(Q K^T * 0.125) V in float64, causal: key t visible from query s iff
t <= s (equal query and key lengths).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "utils"))
from npcheck import load, main as check  # noqa: E402


def attention(d, causal=False):
    q, k, v = load(d, 0), load(d, 1), load(d, 2)
    s = q @ k.T * 0.125
    if causal:
        s = np.where(np.arange(k.shape[0])[None, :] <=
                     np.arange(q.shape[0])[:, None], s, -np.inf)
    p = np.exp(s - s.max(axis=1, keepdims=True))
    return {3: (p @ v) / p.sum(axis=1, keepdims=True)}


KERNELS = {"attention": attention,
           "attention-causal": lambda d: attention(d, causal=True)}

if __name__ == "__main__":
    sys.exit(check(KERNELS))
