#!/usr/bin/env python3
"""Writes the ONNX model of a small transformer block, the model Weft's main
example compiles (docs/examples/transformer_block.onnx).

    /usr/bin/python3 utils/make-transformer-block.py [-o OUT.onnx]

The block (pre-norm, float16, batch 1 folded away):

    x [S, H]
    ln1   = LayerNormalization(x)
    q/k/v = MatMul(ln1, Wq/Wk/Wv) + bias          # Add of a [H] bias
    split heads: Reshape [S, heads, D] -> Transpose [heads, S, D]
    attn  = Softmax(MatMul(q, k^T) * 1/sqrt(D)) @ v   # MatMul, Mul, Softmax, MatMul
    merge heads: Transpose [S, heads, D] -> Reshape [S, H]
    x1    = x + MatMul(attn, Wo)
    ln2   = LayerNormalization(x1)
    up    = com.microsoft.MatMulNBits(ln2, W1: int4, blocks of 32, zero points)
    act   = com.microsoft.Gelu(up)
    down  = com.microsoft.MatMulNBits(act, W2: int4, blocks of 32, symmetric)
    y     = x1 + down

Sizes: S = 64, H = 128, 4 heads of 32, MLP width 256. Weights come from a
seeded numpy generator, so the file is reproducible; float16 weights and
int4 MLP weights keep it under 200 KB.
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize_nbits(weight, block_size, symmetric):
    """Quantizes a float [K, N] weight to 4 bits per element in blocks of
    `block_size` along K, packed as com.microsoft.MatMulNBits stores it.

    Returns (B uint8 [N, n_blocks, block_size / 2], scales [N * n_blocks],
    zero_points uint8 [N * ceil(n_blocks / 2)] or None). Element j of a block
    is the low nibble of byte j / 2 for even j, the high nibble for odd j;
    zero points are packed the same way along the blocks of each column. A
    symmetric weight has no zero points: MatMulNBits then uses 8.
    """
    k, n = weight.shape
    n_blocks = -(-k // block_size)
    padded = np.zeros((n_blocks * block_size, n), np.float32)
    padded[:k] = weight
    blocks = padded.T.reshape(n, n_blocks, block_size)  # [N, nb, bs]
    if symmetric:
        scale = np.abs(blocks).max(axis=2) / 7.0
        scale[scale == 0] = 1.0
        zero = np.full((n, n_blocks), 8, np.int64)
    else:
        lo, hi = blocks.min(axis=2), blocks.max(axis=2)
        scale = (hi - lo) / 15.0
        scale[scale == 0] = 1.0
        zero = np.clip(np.round(-lo / scale), 0, 15).astype(np.int64)
    q = np.clip(np.round(blocks / scale[..., None]) + zero[..., None], 0, 15)
    q = q.astype(np.uint8)
    packed = (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8)
    zero_points = None
    if not symmetric:
        zp = zero.astype(np.uint8)
        if n_blocks % 2:
            zp = np.concatenate([zp, np.zeros((n, 1), np.uint8)], axis=1)
        zero_points = (zp[:, 0::2] | (zp[:, 1::2] << 4)).astype(np.uint8)
        zero_points = zero_points.reshape(-1)
    return packed, scale.astype(np.float16).reshape(-1), zero_points


def make_block(seq=64, hidden=128, heads=4, mlp=256, block_size=32, seed=0):
    rng = np.random.default_rng(seed)
    head_dim = hidden // heads
    f16 = np.float16

    def weight(shape, scale=0.05):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    inits = []

    def add(name, array):
        inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(op, inputs, outputs, name, domain="", **attrs):
        return helper.make_node(op, inputs, outputs, name=name,
                                domain=domain, **attrs)

    nodes = []
    add("ln1.scale", (1 + weight(hidden, 0.1)).astype(f16))
    add("ln1.bias", weight(hidden, 0.1).astype(f16))
    nodes.append(node("LayerNormalization", ["x", "ln1.scale", "ln1.bias"],
                      ["ln1"], "ln1", epsilon=1e-5))
    for p in "qkv":
        add(f"w{p}", weight((hidden, hidden)).astype(f16))
        add(f"b{p}", weight(hidden, 0.02).astype(f16))
        nodes.append(node("MatMul", ["ln1", f"w{p}"], [f"{p}_mm"],
                          f"{p}_proj"))
        nodes.append(node("Add", [f"{p}_mm", f"b{p}"], [p], f"{p}_bias"))
        nodes.append(node("Reshape", [p, "heads_shape"], [f"{p}_split"],
                          f"{p}_split"))
        perm = [1, 2, 0] if p == "k" else [1, 0, 2]  # k goes in as k^T
        nodes.append(node("Transpose", [f"{p}_split"], [f"{p}_heads"],
                          f"{p}_heads", perm=perm))
    add("heads_shape", np.array([seq, heads, head_dim], np.int64))
    add("attn.scale", np.array(1 / np.sqrt(head_dim), f16))
    nodes += [
        node("MatMul", ["q_heads", "k_heads"], ["scores"], "attn_qk"),
        node("Mul", ["scores", "attn.scale"], ["scaled"], "attn_scale"),
        node("Softmax", ["scaled"], ["probs"], "attn_softmax", axis=-1),
        node("MatMul", ["probs", "v_heads"], ["context"], "attn_pv"),
        node("Transpose", ["context"], ["context_t"], "merge_heads_t",
             perm=[1, 0, 2]),
        node("Reshape", ["context_t", "merged_shape"], ["attn"],
             "merge_heads"),
        node("MatMul", ["attn", "wo"], ["attn_out"], "o_proj"),
        node("Add", ["x", "attn_out"], ["x1"], "residual1"),
    ]
    add("merged_shape", np.array([0, -1], np.int64))
    add("wo", weight((hidden, hidden)).astype(f16))

    add("ln2.scale", (1 + weight(hidden, 0.1)).astype(f16))
    add("ln2.bias", weight(hidden, 0.1).astype(f16))
    nodes.append(node("LayerNormalization", ["x1", "ln2.scale", "ln2.bias"],
                      ["ln2"], "ln2", epsilon=1e-5))
    for name, (k, n), symmetric, src, dst in [
            ("fc1", (hidden, mlp), False, "ln2", "up"),
            ("fc2", (mlp, hidden), True, "act", "down")]:
        packed, scales, zero_points = quantize_nbits(weight((k, n)),
                                                     block_size, symmetric)
        inputs = [src, add(f"{name}.qweight", packed),
                  add(f"{name}.scales", scales)]
        if zero_points is not None:
            inputs.append(add(f"{name}.zero_points", zero_points))
        nodes.append(node("MatMulNBits", inputs, [dst], name,
                          domain="com.microsoft", K=k, N=n, bits=4,
                          block_size=block_size, accuracy_level=0))
        if name == "fc1":
            nodes.append(node("Gelu", ["up"], ["act"], "mlp_gelu",
                              domain="com.microsoft"))
    nodes.append(node("Add", ["x1", "down"], ["y"], "residual2"))

    graph = helper.make_graph(
        nodes, "transformer_block",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT16,
                                       [seq, hidden])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT16,
                                       [seq, hidden])],
        initializer=inits)
    model = helper.make_model(
        graph, producer_name="weft utils/make-transformer-block.py",
        opset_imports=[helper.make_opsetid("", 17),
                       helper.make_opsetid("com.microsoft", 1)])
    # The ai.onnx part must be valid ONNX; the checker skips com.microsoft.
    onnx.checker.check_model(model)
    return model


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default=os.path.join(
        root, "docs", "examples", "transformer_block.onnx"))
    args = parser.parse_args()
    onnx.save(make_block(), args.output)


if __name__ == "__main__":
    main()
