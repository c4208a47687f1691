#!/usr/bin/env bash
# The README's main command. Installs what is missing, builds Weft, then
#  1. runs weft-opt on the graph example in docs/examples (every graph op
#     becomes a kernel: weft-wrap-kernels) and prints it;
#  2. solves the optimal software-pipelined, warp-specialized schedule of the
#     FlashAttention forward tile program for Hopper (sm_90a) and Blackwell
#     (sm_100a) and prints its facts (II, lower bound, certificate,
#     partitions, overlaps) and the warp-specialized pipe program for Hopper.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${WEFT_BUILD_DIR:-$ROOT/build}"
bash "$ROOT/utils/bootstrap.sh" >&2
bash "$ROOT/utils/build.sh" >&2
OPT="$BUILD/bin/weft-opt"
TRANSLATE="$BUILD/bin/weft-translate"
FA="$ROOT/docs/examples/flash_attention_fwd.mlir"

echo "== weft-opt -weft-wrap-kernels docs/examples/gemm_epilogue.mlir"
"$OPT" -weft-wrap-kernels "$ROOT/docs/examples/gemm_epilogue.mlir"

for target in sm_90a sm_100a; do
  echo
  echo "== schedule of docs/examples/flash_attention_fwd.mlir on $target"
  "$OPT" "$FA" -weft-attach-machine=target=$target -weft-schedule \
      -mlir-print-debuginfo |
    "$TRANSLATE" --export-schedule |
    /usr/bin/python3 "$ROOT/utils/schedule-facts.py" | grep -v '^overlap'
done

echo
echo "== warp-specialized pipe program on sm_90a"
"$OPT" "$FA" -weft-attach-machine=target=sm_90a -weft-schedule -weft-specialize |
  grep -v '^#sm_90a'
