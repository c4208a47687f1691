#!/usr/bin/env bash
# Installs every Debian 12 package Weft needs to build and test. Idempotent and
# fast when everything is present: apt runs only if a package is missing.
set -euo pipefail

PACKAGES=(
  # Toolchain: LLVM / MLIR / Clang / LLD 22 (lit and FileCheck are in its bin/).
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  cmake ninja-build libgtest-dev
  # ASan / UBSan runtimes and libFuzzer (utils/test-sanitizers.sh); GNU time
  # measures peak memory in the load tests.
  libclang-rt-22-dev time
  # Schedule solver.
  libz3-dev
  # ONNX frontend and its conformance data.
  libonnx-dev libonnx-testdata libprotobuf-dev protobuf-compiler
  # AArch64 cross build and execution under qemu.
  qemu-user libc6-dev-arm64-cross libgcc-12-dev-arm64-cross
  # Python package, tests and model generation (Debian's /usr/bin/python3).
  python3-onnx python3-numpy python3-matplotlib python3-pytest python3-z3
  pybind11-dev
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
