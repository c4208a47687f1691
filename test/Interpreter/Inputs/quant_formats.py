#!/usr/bin/env python3
"""Bit-exact checks of tile.dequant for every quantized storage format.

  gen DIR     writes DIR/formats.mlir (one tile program per format, its
              weights and scales as constants covering every code) and
              DIR/cases.npz (the same codes, for the check)
  check DIR RESULTS  compares RESULTS/argK.npy (weft-run --save-outputs) or,
              with --runner-output FILE, the int32 bit patterns an
              mlir-runner program printed, with a numpy decoding of the codes

The decoders below follow the format definitions (OCP 8-bit floating point
v1.0, OCP MX v1.0, IEEE-style fp4 e2m1) and share no code with Weft.
"""
import argparse
import os
import re
import sys

import numpy as np


def decode_minifloat(code, exp_bits, man_bits, bias, kind):
    """kind: 'ieee' (inf and NaN at max exponent), 'fn' (e4m3fn: only
    s.1111.111 is NaN, no inf), 'fnnone' (e2m1: no inf, no NaN)."""
    sign = -1.0 if (code >> (exp_bits + man_bits)) & 1 else 1.0
    e = (code >> man_bits) & ((1 << exp_bits) - 1)
    m = code & ((1 << man_bits) - 1)
    emax_code = (1 << exp_bits) - 1
    if kind == "ieee" and e == emax_code:
        return sign * np.inf if m == 0 else np.nan
    if kind == "fn" and e == emax_code and m == (1 << man_bits) - 1:
        return np.nan
    if e == 0:
        return sign * m * 2.0 ** (1 - bias - man_bits)
    return sign * (1 + m / 2.0 ** man_bits) * 2.0 ** (e - bias)


DECODE = {
    "f8E4M3FN": lambda c: decode_minifloat(c, 4, 3, 7, "fn"),
    "f8E5M2": lambda c: decode_minifloat(c, 5, 2, 15, "ieee"),
    "f4E2M1FN": lambda c: decode_minifloat(c, 2, 1, 1, "fnnone"),
    "f8E8M0FNU": lambda c: np.nan if c == 255 else 2.0 ** (c - 127),
}
WIDTH = {"f8E4M3FN": 8, "f8E5M2": 8, "f4E2M1FN": 4, "f8E8M0FNU": 8,
         "i4": 4, "ui4": 4, "i8": 8}
NP_RESULT = {"f16": np.float16, "f32": np.float32}

# name, input type, scale type, result type, K, N, block, zero point
CASES = [
    ("e4m3_f16", "f8E4M3FN", "f16", "f16", 64, 8, 32, False),
    ("e5m2_f32", "f8E5M2", "f32", "f32", 32, 8, 0, False),
    ("mxfp4_f16", "f4E2M1FN", "f8E8M0FNU", "f16", 64, 4, 32, False),
    ("nvfp4_f32", "f4E2M1FN", "f8E4M3FN", "f32", 32, 4, 16, False),
    ("mxint8_f32", "i8", "f8E8M0FNU", "f32", 64, 4, 32, False),
    ("ui4_g64_f16", "ui4", "f16", "f16", 128, 4, 64, True),
    ("i4_g128_f32", "i4", "f32", "f32", 128, 4, 128, False),
]


def scalar_text(v, typ):
    if typ == "f4E2M1FN":
        return "-0.0" if int(v) == 8 else repr(float(DECODE[typ](int(v))))
    if typ in ("i4", "i8"):
        w = WIDTH[typ]
        return str(int(v) - (1 << w) if v >= 1 << (w - 1) else int(v))
    if typ == "ui4":
        return str(int(v))
    return repr(float(v))


def literal(values, typ):
    if typ in ("f8E4M3FN", "f8E5M2", "f8E8M0FNU"):
        # Raw little-endian bytes: every code, NaN ones included.
        return '"0x' + "".join("%02X" % int(v) for v in values.flat) + '"'
    rows = ["[" + ", ".join(scalar_text(v, typ) for v in row) + "]"
            for row in values]
    return "[" + ", ".join(rows) + "]"


def shape_of(k, n, block):
    return (1 if block == 0 else (k + block - 1) // block, n)


def make_codes(rng, typ, count):
    w = WIDTH[typ]
    codes = np.arange(count) % (1 << w)  # every code at least once
    return rng.permutation(codes).astype(np.int64)


def make_scales(rng, typ, count):
    if typ == "f8E8M0FNU":
        return rng.integers(120, 135, count)  # codes: 2^-7 .. 2^7
    if typ == "f8E4M3FN":  # positive finite e4m3 codes
        return rng.integers(0x20, 0x58, count)
    vals = rng.uniform(0.01, 2.0, count)
    return vals.astype(np.float16 if typ == "f16" else np.float32)


def gen(d):
    rng = np.random.default_rng(7)
    os.makedirs(d, exist_ok=True)
    out = []
    arrays = {}
    main_calls = []
    for (name, qt, st, rt, k, n, block, has_zp) in CASES:
        codes = make_codes(rng, qt, k * n).reshape(k, n)
        sshape = shape_of(k, n, block)
        scales = make_scales(rng, st, sshape[0] * sshape[1]).reshape(sshape)
        arrays[name + "_q"] = codes
        arrays[name + "_s"] = scales
        zp_decl = zp_use = zp_type = ""
        if has_zp:
            zp = rng.integers(0, 16, sshape)
            arrays[name + "_z"] = zp
            zp_decl = ("  %%z = arith.constant dense<%s> : tensor<%dx%dx%s>\n"
                       % (literal(zp, qt), sshape[0], sshape[1], qt))
            zp_use = ", %z"
            zp_type = ", tensor<%dx%dx%s>" % (sshape[0], sshape[1], qt)
        out.append(
            "func.func @%s(%%out: memref<%dx%dx%s>) {\n"
            "  %%c0 = arith.constant 0 : index\n"
            "  %%q = arith.constant dense<%s> : tensor<%dx%dx%s>\n"
            "  %%s = arith.constant dense<%s> : tensor<%dx%dx%s>\n%s"
            "  %%r = tile.dequant %%q, %%s%s axis = 0 block_size = %d : "
            "tensor<%dx%dx%s>, tensor<%dx%dx%s>%s -> tensor<%dx%dx%s>\n"
            "  tile.store %%r, %%out[%%c0, %%c0] : tensor<%dx%dx%s>, "
            "memref<%dx%dx%s>\n"
            "  return\n}\n" % (
                name, k, n, rt, literal(codes, qt), k, n, qt,
                literal(scales, st), sshape[0], sshape[1], st, zp_decl,
                zp_use, block, k, n, qt, sshape[0], sshape[1], st, zp_type,
                k, n, rt, k, n, rt, k, n, rt))
        main_calls.append((name, k, n, rt))
    with open(os.path.join(d, "formats.mlir"), "w") as f:
        f.write("\n".join(out))
    # A driver for the CPU path: every result's bits printed as int32 (the
    # CPU pipeline's buffer-deallocation frees the allocations).
    lines = ["func.func private @printMemrefI32(memref<*xi32>)",
             "func.func @main() {",
             "  %c0 = arith.constant 0 : index",
             "  %c1 = arith.constant 1 : index"]
    for (name, k, n, rt) in main_calls:
        lines += [
            "  %%o_%s = memref.alloc() : memref<%dx%dx%s>" % (name, k, n, rt),
            "  func.call @%s(%%o_%s) : (memref<%dx%dx%s>) -> ()" % (name, name, k, n, rt),
            "  %%b_%s = memref.alloc() : memref<%dx%dxi32>" % (name, k, n),
            "  %%k_%s = arith.constant %d : index" % (name, k),
            "  %%n_%s = arith.constant %d : index" % (name, n),
            "  scf.for %%i = %%c0 to %%k_%s step %%c1 {" % name,
            "    scf.for %%j = %%c0 to %%n_%s step %%c1 {" % name,
            "      %%v = memref.load %%o_%s[%%i, %%j] : memref<%dx%dx%s>" % (name, k, n, rt),
        ]
        if rt == "f16":
            lines += ["      %h = arith.bitcast %v : f16 to i16",
                      "      %w = arith.extui %h : i16 to i32"]
        else:
            lines += ["      %w = arith.bitcast %v : f32 to i32"]
        lines += [
            "      memref.store %%w, %%b_%s[%%i, %%j] : memref<%dx%dxi32>" % (name, k, n),
            "    }", "  }",
            "  %%u_%s = memref.cast %%b_%s : memref<%dx%dxi32> to memref<*xi32>" % (name, name, k, n),
            "  func.call @printMemrefI32(%%u_%s) : (memref<*xi32>) -> ()" % name,
        ]
    lines += ["  return", "}"]
    with open(os.path.join(d, "main.mlir"), "w") as f:
        f.write("\n".join(lines) + "\n")
    np.savez(os.path.join(d, "cases.npz"), **arrays)


def expected(arrays, case):
    name, qt, st, rt, k, n, block, has_zp = case
    codes = arrays[name + "_q"]
    scales = arrays[name + "_s"]
    if qt in DECODE:
        q = np.vectorize(DECODE[qt], otypes=[np.float64])(codes)
    else:
        w = WIDTH[qt]
        q = codes.astype(np.float64)
        if qt.startswith("i"):
            q = np.where(codes >= 1 << (w - 1), codes - (1 << w), codes).astype(np.float64)
    if st in DECODE:
        s = np.vectorize(DECODE[st], otypes=[np.float64])(scales)
    else:
        s = scales.astype(np.float64)
    rows = np.arange(k) // block if block else np.zeros(k, dtype=np.int64)
    s_full = s[rows, :]
    if has_zp:
        q = q - arrays[name + "_z"][rows, :].astype(np.float64)
    # Exact in float64; numpy rounds float64 -> f16 / f32 once, to nearest even.
    return (q * s_full).astype(NP_RESULT[rt])


def bits(a):
    return a.view(np.uint16 if a.dtype == np.float16 else np.uint32).astype(np.int64)


def compare(name, got, want):
    nan_ok = np.isnan(got.astype(np.float64)) == np.isnan(want.astype(np.float64))
    both = ~np.isnan(want.astype(np.float64))
    same = np.array_equal(bits(got)[both], bits(want)[both]) and nan_ok.all()
    print("%s: %d values, %s" % (name, want.size,
                                 "bit-exact" if same else "MISMATCH"))
    if not same:
        bad = np.argwhere((bits(got) != bits(want)) & both)[:5]
        for i, j in bad:
            print("  [%d, %d] got %r want %r" % (i, j, got[i, j], want[i, j]))
    return same


def check(d, results, runner_output):
    arrays = dict(np.load(os.path.join(d, "cases.npz")))
    ok = True
    printed = []
    if runner_output:
        text = open(runner_output).read()
        for block in re.split(r"Unranked Memref", text)[1:]:
            data = block[block.index("data ="):]
            printed.append([int(x) for x in re.findall(r"-?\d+", data[6:])])
    for idx, case in enumerate(CASES):
        name, _, _, rt, k, n, _, _ = case
        want = expected(arrays, case)
        if runner_output:
            raw = np.array(printed[idx], dtype=np.int64).reshape(k, n)
            got = (raw.astype(np.uint16).view(np.float16) if rt == "f16"
                   else raw.astype(np.uint32).view(np.float32))
        else:
            got = np.load(os.path.join(results, name, "arg0.npy"))
        ok &= compare(name, got, want)
    print("quant formats: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["gen", "check", "cases"])
    p.add_argument("dir")
    p.add_argument("results", nargs="?")
    p.add_argument("--runner-output")
    a = p.parse_args()
    if a.mode == "gen":
        gen(a.dir)
        return 0
    if a.mode == "cases":
        print(" ".join(c[0] for c in CASES))
        return 0
    return check(a.dir, a.results, a.runner_output)


if __name__ == "__main__":
    sys.exit(main())
