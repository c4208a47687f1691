#!/usr/bin/env python3
"""Small quantized ONNX models for the end-to-end CPU tests, with numpy
references.

    quant_models.py gen DIR  writes DIR/<name>/model.onnx, x.npy, expected.npy
                             for every model below and prints the names
    quant_models.py compare GOT.npy EXPECTED.npy
                             numpy.allclose(rtol 1e-4, atol 1e-4), PASS / FAIL

Models (weights are initializers; x is f32 [M, K]):
  nbits4_zp      com.microsoft MatMulNBits, 4 bits, blocks of 32, zero points
  nbits4         MatMulNBits, 4 bits, blocks of 16, no zero points (8 implied)
  dql_int8_axis  DequantizeLinear(int8 W [K, N], per-column scale and zero
                 point, axis 1) -> MatMul
  dql_uint8_blk  DequantizeLinear(uint8 W, blocked scales along K, opset 21
                 block_size 32) -> MatMul
  dql_e4m3       DequantizeLinear(float8e4m3fn W, per-tensor scale) -> MatMul
  dql_e5m2_axis  DequantizeLinear(float8e5m2 W, per-column scale) -> MatMul

The references decode the stored bytes themselves (nibble order of
MatMulNBits, the fp8 formats from their definition) and compute in float64.
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper

FLOAT8E4M3FN, FLOAT8E5M2 = 17, 19  # TensorProto numbers (onnx >= 1.14)
M, K, N = 8, 96, 40


def fp8_value(code, exp_bits, man_bits, bias, has_inf):
    sign = -1.0 if code >> 7 else 1.0
    e = (code >> man_bits) & ((1 << exp_bits) - 1)
    m = code & ((1 << man_bits) - 1)
    if has_inf and e == (1 << exp_bits) - 1:
        return np.nan if m else sign * np.inf
    if not has_inf and e == 15 and m == 7:
        return np.nan
    if e == 0:
        return sign * m * 2.0 ** (1 - bias - man_bits)
    return sign * (1 + m / 2.0 ** man_bits) * 2.0 ** (e - bias)


def fp8_codes(rng, shape, exp_bits, man_bits, bias, has_inf):
    """Random finite codes and their values."""
    codes = rng.integers(0, 256, shape).astype(np.uint8)
    vals = np.vectorize(lambda c: fp8_value(int(c), exp_bits, man_bits, bias,
                                            has_inf))(codes)
    bad = ~np.isfinite(vals) | (np.abs(vals) > 64)
    codes[bad] = 0x30
    vals = np.vectorize(lambda c: fp8_value(int(c), exp_bits, man_bits, bias,
                                            has_inf))(codes)
    return codes, vals


def tensor(name, dtype, dims, raw):
    t = TensorProto()
    t.name = name
    t.data_type = dtype
    t.dims.extend(dims)
    t.raw_data = raw
    return t


def model(nodes, inits, ms=False):
    graph = helper.make_graph(
        nodes, "q",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [M, K])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [M, N])],
        inits)
    opsets = [helper.make_opsetid("", 21)]
    if ms:
        opsets.append(helper.make_opsetid("com.microsoft", 1))
    m = helper.make_model(graph, opset_imports=opsets)
    m.ir_version = 8
    return m


def init(name, arr):
    return helper.make_tensor(name, helper.np_dtype_to_tensor_dtype(arr.dtype)
                              if hasattr(helper, "np_dtype_to_tensor_dtype")
                              else {np.dtype(np.float32): TensorProto.FLOAT,
                                    np.dtype(np.uint8): TensorProto.UINT8,
                                    np.dtype(np.int8): TensorProto.INT8}[arr.dtype],
                              arr.shape, arr.tobytes(), raw=True)


def nbits(rng, block, with_zp):
    nb = (K + block - 1) // block
    q = rng.integers(0, 16, (N, nb * block))  # logical weight, transposed
    packed = (q[:, 0::2] | (q[:, 1::2] << 4)).astype(np.uint8)
    packed = packed.reshape(N, nb, block // 2)
    scales = rng.uniform(0.01, 0.2, (N, nb)).astype(np.float32)
    inputs = ["x", "b", "s"]
    inits = [init("b", packed), init("s", scales.reshape(-1))]
    if with_zp:
        zp = rng.integers(0, 16, (N, nb))
        zp_padded = np.zeros((N, (nb + 1) // 2 * 2), np.int64)
        zp_padded[:, :nb] = zp
        zbytes = (zp_padded[:, 0::2] | (zp_padded[:, 1::2] << 4)).astype(np.uint8)
        inits.append(init("z", zbytes.reshape(-1)))
        inputs.append("z")
    else:
        zp = np.full((N, nb), 8)
    node = helper.make_node("MatMulNBits", inputs, ["y"], domain="com.microsoft",
                            K=K, N=N, bits=4, block_size=block)
    w = (q[:, :K] - np.repeat(zp, block, axis=1)[:, :K]) * \
        np.repeat(scales.astype(np.float64), block, axis=1)[:, :K]
    return model([node], inits, ms=True), w.T


def dql(rng, kind):
    inits = []
    if kind == "dql_int8_axis":
        q = rng.integers(-128, 128, (K, N)).astype(np.int8)
        s = rng.uniform(0.001, 0.05, N).astype(np.float32)
        z = rng.integers(-10, 10, N).astype(np.int8)
        inits = [init("q", q), init("s", s), init("z", z)]
        node = helper.make_node("DequantizeLinear", ["q", "s", "z"], ["w"], axis=1)
        w = (q.astype(np.float64) - z) * s.astype(np.float64)
    elif kind == "dql_uint8_blk":
        q = rng.integers(0, 256, (K, N)).astype(np.uint8)
        s = rng.uniform(0.001, 0.05, (K // 32, N)).astype(np.float32)
        z = rng.integers(100, 150, (K // 32, N)).astype(np.uint8)
        inits = [init("q", q), init("s", s), init("z", z)]
        node = helper.make_node("DequantizeLinear", ["q", "s", "z"], ["w"],
                                axis=0, block_size=32)
        w = (q.astype(np.float64) - np.repeat(z, 32, axis=0)) * \
            np.repeat(s.astype(np.float64), 32, axis=0)
    elif kind == "dql_e4m3":
        codes, vals = fp8_codes(rng, (K, N), 4, 3, 7, False)
        s = np.array(0.125, np.float32)
        inits = [tensor("q", FLOAT8E4M3FN, [K, N], codes.tobytes()),
                 init("s", s)]
        node = helper.make_node("DequantizeLinear", ["q", "s"], ["w"])
        w = vals * 0.125
    else:  # dql_e5m2_axis
        codes, vals = fp8_codes(rng, (K, N), 5, 2, 15, True)
        s = rng.uniform(0.01, 0.5, N).astype(np.float32)
        inits = [tensor("q", FLOAT8E5M2, [K, N], codes.tobytes()),
                 init("s", s)]
        node = helper.make_node("DequantizeLinear", ["q", "s"], ["w"], axis=1)
        w = vals * s.astype(np.float64)
    mm = helper.make_node("MatMul", ["x", "w"], ["y"])
    return model([node, mm], inits), w


def compare(got_file, expected_file):
    got, want = np.load(got_file), np.load(expected_file)
    ok = got.shape == want.shape and np.allclose(got, want, rtol=1e-4, atol=1e-4)
    err = np.max(np.abs(got.astype(np.float64) - want)) if got.shape == want.shape else -1
    print("max abs error %.3e: %s" % (err, "PASS" if ok else "FAIL"))
    return 0 if ok else 1


def main():
    if sys.argv[1] == "compare":
        return compare(sys.argv[2], sys.argv[3])
    out = sys.argv[2]
    rng = np.random.default_rng(11)
    cases = {
        "nbits4_zp": lambda: nbits(rng, 32, True),
        "nbits4": lambda: nbits(rng, 16, False),
        "dql_int8_axis": lambda: dql(rng, "dql_int8_axis"),
        "dql_uint8_blk": lambda: dql(rng, "dql_uint8_blk"),
        "dql_e4m3": lambda: dql(rng, "dql_e4m3"),
        "dql_e5m2_axis": lambda: dql(rng, "dql_e5m2_axis"),
    }
    for name, make in cases.items():
        m, w = make()
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "model.onnx"), "wb") as f:
            f.write(m.SerializeToString())
        x = rng.uniform(-1, 1, (M, K)).astype(np.float32)
        np.save(os.path.join(d, "x.npy"), x)
        np.save(os.path.join(d, "expected.npy"),
                (x.astype(np.float64) @ w).astype(np.float32))
        print(name)


if __name__ == "__main__":
    sys.exit(main())
