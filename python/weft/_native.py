"""Loads the weft._weft extension (pybind11 over Weft's C API).

Installed (`cmake --install <build> --component python`) the extension sits
next to this file. From the source tree (PYTHONPATH=python) it is taken from
the build: $WEFT_BUILD_DIR/python/weft, <checkout>/build/python/weft, then
the build whose weft-opt is on PATH.
"""
import importlib.machinery
import importlib.util
import os
import shutil
import sys
from pathlib import Path


def _build_dirs():
    build = os.environ.get("WEFT_BUILD_DIR")
    if build:
        yield Path(build) / "python" / "weft"
    yield Path(__file__).resolve().parents[2] / "build" / "python" / "weft"
    tool = shutil.which("weft-opt")  # e.g. under lit: <build>/bin on PATH
    if tool:
        yield Path(tool).resolve().parents[1] / "python" / "weft"


def _load():
    try:
        from weft import _weft  # installed next to this file
        return _weft
    except ImportError:
        pass
    for directory in _build_dirs():
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = directory / f"_weft{suffix}"
            if path.is_file():
                spec = importlib.util.spec_from_file_location("weft._weft",
                                                              path)
                module = importlib.util.module_from_spec(spec)
                sys.modules["weft._weft"] = module
                spec.loader.exec_module(module)
                return module
    raise ImportError(
        "weft._weft is not built; build Weft (utils/build.sh) and set "
        "WEFT_BUILD_DIR, or install the package with utils/install-python.sh")


native = _load()
