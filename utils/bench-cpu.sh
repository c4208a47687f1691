#!/usr/bin/env bash
# Host-CPU time of the shipped transformer block compiled by Weft vs numpy
# (utils/bench-cpu.py; a measurement, never a test). Extra arguments go to
# the script, e.g. --repeat 200 or --model other.onnx.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${WEFT_BUILD_DIR:-$ROOT/build}"
exec /usr/bin/python3 "$ROOT/utils/bench-cpu.py" --bin "$BUILD/bin" "$@"
