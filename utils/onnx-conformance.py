#!/usr/bin/python3
"""ONNX backend conformance of Weft's CPU path.

For each model directory of the ONNX backend node tests (Debian's
libonnx-testdata, /usr/include/onnx/backend/test/data/node by default):
imports and compiles it for the host (`weft-compile --target=host`), runs it
natively (`weft-run --model`) on test_data_set_0's inputs and compares with
its expected outputs (numpy.allclose rule, ONNX's default rtol 1e-3 and
atol 1e-7 unless given). Prints one line per test:

    pass | fail-numeric | fail-run | unsupported: <reason>

then a per-op table and the pass rate. With --expect-pass FILE, every test
named in FILE must pass (exit status 1 otherwise: a regression); tests that
pass but are not listed are reported as new passes. --write-pass-list FILE
writes the tests that passed.

    /usr/bin/python3 utils/onnx-conformance.py --bin build/bin -j 2
    /usr/bin/python3 utils/onnx-conformance.py --bin build/bin \\
        --tests-from test/Conformance/Inputs/host-pass-list.txt \\
        --expect-pass test/Conformance/Inputs/host-pass-list.txt
"""
import argparse
import collections
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

DEFAULT_DATA = "/usr/include/onnx/backend/test/data/node"


def op_types(model_path):
    """The op types of a model's graph (without onnx: parse lazily)."""
    try:
        import onnx
        model = onnx.load(model_path, load_external_data=False)
        return sorted({n.op_type for n in model.graph.node})
    except Exception:  # noqa: BLE001 - a broken model is reported as such
        return ["?"]


def first_error(text):
    """The first diagnostic of a tool's stderr, trimmed to one line."""
    for line in text.splitlines():
        if "error" in line:
            line = re.sub(r"^.*?error: ", "", line)
            return line.strip()[:160]
    lines = [l for l in text.splitlines() if l.strip()]
    return (lines[-1].strip() if lines else "no output")[:160]


def run_test(name, data_dir, bin_dir, work_dir, atol, rtol, timeout):
    """Returns (status, detail)."""
    test_dir = os.path.join(data_dir, name)
    model = os.path.join(test_dir, "model.onnx")
    data = os.path.join(test_dir, "test_data_set_0")
    if not os.path.isfile(model) or not os.path.isdir(data):
        return "unsupported", "no model.onnx / test_data_set_0"
    out = os.path.join(work_dir, name)
    os.makedirs(out, exist_ok=True)
    try:
        compiled = subprocess.run(
            [os.path.join(bin_dir, "weft-compile"), model, "--target=host",
             "-o", out, "--emit=tile"],
            capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "unsupported", "weft-compile timed out"
    if compiled.returncode != 0:
        return "unsupported", first_error(compiled.stderr)
    files = sorted(os.listdir(data))
    inputs = [os.path.join(data, f) for f in files if f.startswith("input_")]
    outputs = [os.path.join(data, f) for f in files if f.startswith("output_")]
    key = lambda p: int(re.search(r"_(\d+)\.pb$", p).group(1))
    inputs.sort(key=key)
    outputs.sort(key=key)
    cmd = [os.path.join(bin_dir, "weft-run"), "--model", out,
           "--atol=%g" % atol, "--rtol=%g" % rtol]
    cmd += ["--input=%s" % p for p in inputs]
    cmd += ["--expected=%s" % p for p in outputs]
    try:
        ran = subprocess.run(cmd, capture_output=True, text=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        return "fail-run", "weft-run timed out"
    if ran.returncode == 0 and "PASS" in ran.stdout:
        return "pass", ""
    if "FAIL" in ran.stdout:
        bad = [l for l in ran.stdout.splitlines() if "FAIL" in l and
               l.startswith("output")]
        return "fail-numeric", (bad[0] if bad else "mismatch")
    # The model's inputs do not match what the importer made of the graph
    # (an initializer input, a dtype weft widens): not a numeric failure.
    detail = first_error(ran.stderr)
    if ran.returncode < 0:
        detail = "crashed with signal %d" % -ran.returncode
    return "fail-run", detail


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--bin", required=True,
                        help="directory with weft-compile and weft-run")
    parser.add_argument("--filter", default="",
                        help="regular expression on test names")
    parser.add_argument("--tests-from",
                        help="file with test names to run (one per line)")
    parser.add_argument("--expect-pass",
                        help="file with test names that must pass")
    parser.add_argument("--write-pass-list")
    parser.add_argument("--work-dir", help="keep compiled models here")
    parser.add_argument("--atol", type=float, default=1e-7)
    parser.add_argument("--rtol", type=float, default=1e-3)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--quiet", action="store_true",
                        help="print only failures of --expect-pass and the "
                             "summary")
    args = parser.parse_args()

    def read_list(path):
        with open(path) as f:
            return [l.strip() for l in f
                    if l.strip() and not l.startswith("#")]

    if args.tests_from:
        names = read_list(args.tests_from)
    else:
        names = sorted(n for n in os.listdir(args.data)
                       if n.startswith("test_"))
    if args.filter:
        names = [n for n in names if re.search(args.filter, n)]
    work = args.work_dir or tempfile.mkdtemp(prefix="weft-conformance-")

    results = {}
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = {pool.submit(run_test, n, args.data, args.bin, work,
                               args.atol, args.rtol, args.timeout): n
                   for n in names}
        for future in concurrent.futures.as_completed(futures):
            results[futures[future]] = future.result()

    per_op = collections.defaultdict(collections.Counter)
    for name in names:
        status, detail = results[name]
        if not args.quiet:
            print("%-60s %s%s" % (name, status,
                                  (": " + detail) if detail else ""))
        for op in op_types(os.path.join(args.data, name, "model.onnx")):
            per_op[op][status] += 1

    counts = collections.Counter(s for s, _ in results.values())
    if not args.quiet:
        print("\nper op (tests using the op): pass / fail-numeric / "
              "fail-run / unsupported")
        for op in sorted(per_op):
            c = per_op[op]
            print("  %-28s %4d %4d %4d %4d" % (op, c["pass"], c["fail-numeric"],
                                               c["fail-run"],
                                               c["unsupported"]))
    total = len(names)
    print("conformance: %d tests, %d pass, %d fail-numeric, %d fail-run, "
          "%d unsupported; pass rate %.1f%%" % (
              total, counts["pass"], counts["fail-numeric"],
              counts["fail-run"], counts["unsupported"],
              100.0 * counts["pass"] / total if total else 0.0))

    if args.write_pass_list:
        with open(args.write_pass_list, "w") as f:
            for name in names:
                if results[name][0] == "pass":
                    f.write(name + "\n")
    status = 0
    if args.expect_pass:
        expected = read_list(args.expect_pass)
        regressions = [n for n in expected
                       if results.get(n, ("not run", ""))[0] != "pass"]
        for n in regressions:
            print("REGRESSION: %s: %s %s" % ((n,) + results.get(
                n, ("not run", ""))))
        new = [n for n in names if results[n][0] == "pass" and
               n not in expected]
        for n in new:
            print("new pass (add it to the list): %s" % n)
        print("expected passes: %d of %d" % (len(expected) - len(regressions),
                                             len(expected)))
        status = 1 if regressions else 0
    return status


if __name__ == "__main__":
    sys.exit(main())
