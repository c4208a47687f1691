#!/usr/bin/env bash
# Installs Weft from a build tree into a scratch prefix, then configures,
# builds and runs the "write your first weft pass" tutorial project against
# it with find_package(Weft): the exported CMake package and the tutorial are
# checked together.
set -euo pipefail
BUILD="$(cd "$1" && pwd)"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cmake --install "$BUILD" --prefix "$WORK/prefix" > "$WORK/install.log"
cmake -G Ninja -S "$ROOT/docs/tutorials/first-pass" -B "$WORK/build" \
  -DCMAKE_CXX_COMPILER=clang++-22 -DCMAKE_PREFIX_PATH="$WORK/prefix" \
  -DCMAKE_BUILD_TYPE=Release > "$WORK/configure.log"
ninja -C "$WORK/build" > "$WORK/build.log" || { cat "$WORK/build.log"; exit 1; }
"$WORK/build/tutorial-opt" "$ROOT/docs/tutorials/first-pass/test/fold-double-relu.mlir" \
    -tutorial-fold-double-relu |
  /usr/lib/llvm-22/bin/FileCheck "$ROOT/docs/tutorials/first-pass/test/fold-double-relu.mlir"
echo "downstream: find_package(Weft) project built and its test passed"
