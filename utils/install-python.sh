#!/usr/bin/env bash
# Installs the `weft` Python package (pure-Python modules and the weft._weft
# extension) into Debian's /usr/bin/python3, offline: builds Weft if needed,
# then `cmake --install <build> --component python`. The destination is
# python3's platlib (/usr/local/lib/python3.11/dist-packages); override it
# with WEFT_PYTHON_INSTALL_DIR=<dir>.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${WEFT_BUILD_DIR:-$ROOT/build}"

bash "$ROOT/utils/build.sh"
if [ -n "${WEFT_PYTHON_INSTALL_DIR:-}" ]; then
  cmake -S "$ROOT" -B "$BUILD" -DWEFT_PYTHON_INSTALL_DIR="$WEFT_PYTHON_INSTALL_DIR" >/dev/null
fi
cmake --install "$BUILD" --component python
# Checked from outside the checkout, so that the installed copy is imported
# (a custom directory is not on python3's path: it is put there for this).
(cd / && PYTHONPATH="${WEFT_PYTHON_INSTALL_DIR:-}" /usr/bin/python3 -c \
  "import weft; print('weft installed:', weft.__file__, '; targets:', ', '.join(weft.known_targets()))")
