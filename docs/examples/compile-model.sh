#!/usr/bin/env bash
# The user guide's command-line walk-through: compile a model for Hopper,
# keep the IR of the stages you care about, read the schedules, draw them.
# Run from the checkout with build/bin on PATH:
#   compile-model.sh [OUT_DIR] [MODEL.onnx]
set -euo pipefail
out="${1:-weft-out}"
model="${2:-docs/examples/transformer_block.onnx}"
stem="$(basename "$model" .onnx)"

# Every stage's IR, the schedules as JSON and a summary; progress and the
# timing report go to stderr.
weft-compile "$model" --target=sm_90a -o "$out" --emit=tile,scheduled,pipe \
    --print-schedule --timing 2> "$out.log"

# The schedules as a Gantt chart (SVG) and as a Perfetto timeline.
weft-translate --export-schedule --schedule-format=svg \
    "$out/$stem.scheduled.mlir" -o "$out/schedules.svg"
weft-translate --export-schedule --schedule-format=trace \
    "$out/$stem.scheduled.mlir" -o "$out/schedules.trace.json"
