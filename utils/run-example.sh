#!/usr/bin/env bash
# The README's main command. Installs what is missing, builds Weft, then
#  1. imports the shipped model (docs/examples/transformer_block.onnx: a
#     transformer block with int4 MatMulNBits weights), runs graph fusion and
#     prints the kernels it forms (weights elided);
#  2. compiles it with weft-compile for Hopper, Blackwell, MI300, an Arm SME2
#     core (its solver model, and AArch64 code with SVE / SME kernels) and
#     this machine's CPU (fusion, tiling, optimal schedules, warp-specialized
#     pipe programs, PTX / cubins and HSA code objects with launch manifests
#     for the GEMM kernels the NVIDIA and AMD lowerings handle, native objects
#     for the CPUs, all into build/example-out/<target>/) and prints every
#     kernel's schedule;
#  3. solves the optimal software-pipelined, warp-specialized schedule of the
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

echo "== weft-translate --import-onnx docs/examples/transformer_block.onnx | weft-opt -weft-graph-fusion"
"$TRANSLATE" --import-onnx "$ROOT/docs/examples/transformer_block.onnx" |
  "$OPT" -weft-graph-fusion --mlir-elide-resource-strings-if-larger=32

for target in sm_90a sm_100a gfx942 arm-sme2 aarch64-sme2 host; do
  tiles=()
  # A K step of 64 f16 is one 128-byte swizzled row, what wgmma / tcgen05
  # descriptors are generated for: these kernels become cubins.
  case $target in sm_*) tiles=(--tile-sizes="tile-m=64 tile-n=64 tile-k=64") ;; esac
  echo
  echo "== weft-compile docs/examples/transformer_block.onnx --target=$target --print-schedule ${tiles[*]}"
  "$BUILD/bin/weft-compile" "$ROOT/docs/examples/transformer_block.onnx" \
    --target=$target -o "$BUILD/example-out/$target" --print-schedule \
    --schedule-timeout-ms=10000 "${tiles[@]}"
done

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
