#!/usr/bin/env bash
# The README's main command. Installs what is missing, builds Weft, then runs
# weft-opt on the example shipped in docs/examples: every graph op becomes a
# kernel (weft-wrap-kernels), and the result is printed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${WEFT_BUILD_DIR:-$ROOT/build}"
bash "$ROOT/utils/bootstrap.sh" >&2
bash "$ROOT/utils/build.sh" >&2
echo "== weft-opt -weft-wrap-kernels docs/examples/gemm_epilogue.mlir"
"$BUILD/bin/weft-opt" -weft-wrap-kernels "$ROOT/docs/examples/gemm_epilogue.mlir"
