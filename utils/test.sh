#!/usr/bin/env bash
# Builds Weft and runs every test: lit (FileCheck, verify-diagnostics, ptxas,
# qemu), GoogleTest unit tests and ctest checks through ctest, and pytest;
# then the reliability run (utils/test-sanitizers.sh: an ASan + UBSan build,
# lit with -mlir-disable-threading and the unit tests on it, a bounded run of
# every fuzz target). WEFT_SKIP_SANITIZERS=1 leaves the second part out.
# Ends with one line "weft: N passed, N failed" and exits non-zero on failure.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${WEFT_BUILD_DIR:-$ROOT/build}"
RESULTS="$BUILD/test-results"

bash "$ROOT/utils/bootstrap.sh" || exit 1
bash "$ROOT/utils/build.sh" || { echo "weft: build failed"; exit 1; }
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

status=0
echo "== lit"
/usr/lib/llvm-22/bin/lit -sv "$BUILD/test" \
  --xunit-xml-output "$RESULTS/lit.xml" || status=1
echo "== ctest (unit tests, package checks)"
(cd "$BUILD" && ctest -E '^weft-lit$' --output-on-failure \
  --output-junit "$RESULTS/ctest.xml") || status=1
echo "== pytest"
PYTHONPATH="$ROOT/python" WEFT_BUILD_DIR="$BUILD" /usr/bin/python3 -m pytest -q \
  "$ROOT/python/test" --junitxml "$RESULTS/pytest.xml" -p no:cacheprovider || status=1
if [ "${WEFT_SKIP_SANITIZERS:-0}" != 1 ]; then
  bash "$ROOT/utils/test-sanitizers.sh" "$RESULTS" || status=1
fi

/usr/bin/python3 "$ROOT/utils/summarize-tests.py" "$RESULTS"/*.xml || status=1
exit $status
