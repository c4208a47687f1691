#!/usr/bin/env bash
# Configures (once) and builds Weft into ${WEFT_BUILD_DIR:-build}.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${WEFT_BUILD_DIR:-$ROOT/build}"
JOBS="${WEFT_JOBS:-$(nproc)}"

LAUNCHER=()
# ccache, when present, lets several checkouts share one compile cache.
if command -v ccache >/dev/null; then
  LAUNCHER=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake "${LAUNCHER[@]}" -G Ninja -S "$ROOT" -B "$BUILD" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld -DWEFT_WERROR=ON \
    -DCMAKE_INSTALL_PREFIX="$BUILD/install" ${WEFT_CMAKE_ARGS:-}
fi
ninja -C "$BUILD" -j "$JOBS" all weft-doc "$@"
