"""Reference packing for test/Dialect/Weft/pack-weights-reference.mlir.

Writes, for each target, a small qmatmul whose constant weight is a
deterministic pseudo-random pattern (`input` mode), or the FileCheck lines
with the packed bytes that `weft-pack-weights` must produce (`checks` mode).
The bytes are computed here independently of the C++ presets, straight from
the sources the presets cite:
  sm_90a  PTX ISA mma.m16n8k16 B fragment table (.f16): lane = 4 * groupID +
          threadID_in_group holds b_i at k = 2 * threadID_in_group + (i & 1)
          + 8 * (i >= 2), n = groupID; Marlin `_get_perms` 16x64 tile order
          and its interleave [0, 2, 4, 6, 1, 3, 5, 7] for 4 bits.
  gfx942  v_mfma_f32_32x32x8f16 B: lane l holds k = 4 * (l // 32) + i,
          n = l % 32; 128 bits per lane = consecutive k-steps.
  aarch64 ggml make_block_q4_0x4(blck_size_interleave = 8) on block_q4_0 qs,
          with the XOR 0x88 (signed i4).
"""
import sys
import numpy as np

CASES = [  # (name, target, K, N, bits)
    ("mma_i4", "sm_90a", 16, 64, 4),
    ("mma_i4_padded", "sm_90a", 12, 40, 4),
    ("mfma_i4", "gfx942", 64, 32, 4),
    ("arm_i4", "aarch64", 32, 4, 4),
]


def weight(k, n, bits, seed):
    rng = np.random.RandomState(seed)
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return rng.randint(lo, hi + 1, size=(k, n)).astype(np.int64)


def pack_nibbles(seq):
    seq = [int(v) & 0xF for v in seq]
    return bytes(seq[2 * i] | (seq[2 * i + 1] << 4) for i in range(len(seq) // 2))


def mma(w):
    k, n = w.shape
    tk, tn = 16, 64
    w = np.pad(w, ((0, -k % tk), (0, -n % tn)))
    out = b""
    for a in range(w.shape[0] // tk):
        for b in range(w.shape[1] // tn):
            tile = w[a * tk:(a + 1) * tk, b * tn:(b + 1) * tn]
            for lane in range(32):
                g, q = lane >> 2, lane % 4
                frag = []
                for f in range(8):
                    for i in range(4):
                        frag.append(tile[2 * q + (i & 1) + 8 * (i >= 2), 8 * f + g])
                inter = []
                for word in range(4):
                    group = frag[8 * word:8 * word + 8]
                    inter += [group[j] for j in (0, 2, 4, 6, 1, 3, 5, 7)]
                out += pack_nibbles(inter)
    return out


def mfma(w):
    k, n = w.shape
    tk, tn = 64, 32
    w = np.pad(w, ((0, -k % tk), (0, -n % tn)))
    out = b""
    for b in range(w.shape[1] // tn):  # K fastest across tiles
        for a in range(w.shape[0] // tk):
            tile = w[a * tk:(a + 1) * tk, b * tn:(b + 1) * tn]
            for lane in range(64):
                seq = [tile[8 * s + 4 * (lane // 32) + i, lane % 32]
                       for s in range(8) for i in range(4)]
                out += pack_nibbles(seq)
    return out


def arm(w):
    k, n = w.shape
    w = np.pad(w, ((0, -k % 32), (0, -n % 4)))
    out = b""
    for b in range(w.shape[1] // 4):
        for a in range(w.shape[0] // 32):
            qs = [[((int(w[32 * a + j, 4 * b + c]) + 8) |
                    ((int(w[32 * a + j + 16, 4 * b + c]) + 8) << 4)) & 0xFF
                   for j in range(16)] for c in range(4)]
            for i in range(8):
                out += bytes(x ^ 0x88 for x in qs[i % 4][(i // 4) * 8:(i // 4) * 8 + 8])
    return out


def main():
    mode, wanted = sys.argv[1], sys.argv[2]
    for index, (name, target, k, n, bits) in enumerate(CASES):
        if target != wanted:
            continue
        w = weight(k, n, bits, index)
        if mode == "input":
            rows = ", ".join("[" + ", ".join(str(v) for v in row) + "]" for row in w)
            print(f"func.func @{name}(%x: tensor<1x{k}xf16>, %s: tensor<1x{n}xf16>) -> tensor<1x{n}xf16> {{")
            print(f"  %w = arith.constant dense<[{rows}]> : tensor<{k}x{n}xi{bits}>")
            print(f"  %0 = weft.qmatmul %x, %w, %s block_size = {k} : tensor<1x{k}xf16>, tensor<{k}x{n}xi{bits}>, tensor<1x{n}xf16>")
            print("  return %0 : tensor<1x{}xf16>\n}}".format(n))
        else:
            packed = {"sm_90a": mma, "gfx942": mfma, "aarch64": arm}[target](w)
            print(f"// CHECK-LABEL: func.func @{name}")
            print(f'// CHECK: arith.constant dense<"0x{packed.hex().upper()}">')


main()
