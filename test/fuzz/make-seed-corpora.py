#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into test/fuzz/corpus/<target>.

onnx-import:     every model of test/Frontend/ONNX/Inputs/models.py (valid
                 and malformed ones) as a binary ModelProto;
mlir-parser:     every `// -----` split of the weft / tile / pipe dialect
                 tests (test/Dialect/*/*.mlir);
schedule-solver: the byte strings of fuzz/schedule-solver-fuzzer.cpp's
                 decoder for seeded random problems.

The corpora are committed; rerun this (with /usr/bin/python3, which has onnx)
only when the test inputs change.
"""
import glob
import hashlib
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "test", "fuzz", "corpus")


def write(target, name, data):
    path = os.path.join(CORPUS, target, name)
    with open(path, "wb") as f:
        f.write(data)


def onnx_seeds():
    sys.path.insert(0, os.path.join(ROOT, "test", "Frontend", "ONNX", "Inputs"))
    import models
    import inspect
    for name, fn in inspect.getmembers(models, inspect.isfunction):
        if fn.__module__ != "models" or inspect.signature(fn).parameters:
            continue
        if name in ("main", "transformer"):
            continue  # transformer: 100+ KB, too slow to mutate
        model = fn()
        if hasattr(model, "SerializeToString"):  # helpers return arrays
            write("onnx-import", name + ".onnx", model.SerializeToString())


def mlir_seeds():
    for path in sorted(glob.glob(os.path.join(ROOT, "test", "Dialect", "*", "*.mlir"))):
        text = open(path).read()
        dialect = os.path.basename(os.path.dirname(path)).lower()
        stem = os.path.splitext(os.path.basename(path))[0]
        for i, part in enumerate(text.split("// -----")):
            # RUN / CHECK lines are comments to the parser; dropping them keeps
            # the seeds to IR.
            lines = [l for l in part.splitlines()
                     if not l.lstrip().startswith("//")]
            body = "\n".join(lines).strip() + "\n"
            if body.strip():
                write("mlir-parser", f"{dialect}-{stem}-{i}.mlir", body.encode())


def solver_seeds():
    rng = random.Random(20261125)
    for i in range(48):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(16, 96)))
        write("schedule-solver", f"random-{i:02d}", data)


if __name__ == "__main__":
    onnx_seeds()
    mlir_seeds()
    solver_seeds()
