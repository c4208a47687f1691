"""Weft: an MLIR-based ML compiler.

This package drives Weft's tools from Python. `opt` runs a pass pipeline on
textual IR exactly as `weft-opt` does; errors come back as `WeftError` with
the tool's located diagnostics.
"""
from weft.tools import WeftError, find_tool, opt

__all__ = ["WeftError", "find_tool", "opt"]
