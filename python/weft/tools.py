"""Runs Weft's command-line tools on textual IR."""
import os
import shutil
import subprocess
from pathlib import Path
from typing import Iterable, Optional, Union


class WeftError(RuntimeError):
    """A Weft tool rejected its input; `diagnostics` holds what it printed."""

    def __init__(self, tool: str, diagnostics: str):
        super().__init__(f"{tool} failed:\n{diagnostics}")
        self.tool = tool
        self.diagnostics = diagnostics


def _candidate_dirs():
    build = os.environ.get("WEFT_BUILD_DIR")
    if build:
        yield Path(build) / "bin"
    yield Path(__file__).resolve().parents[2] / "build" / "bin"
    try:  # an installed package remembers the build it came from
        from weft._install_info import TOOLS_DIR
        yield Path(TOOLS_DIR)
    except ImportError:
        pass


def find_tool(name: str) -> Path:
    """Locates a Weft tool: $WEFT_BUILD_DIR/bin, the source tree's build/bin,
    the build an installed package came from, then PATH."""
    for directory in _candidate_dirs():
        path = directory / name
        if path.is_file() and os.access(path, os.X_OK):
            return path
    found = shutil.which(name)
    if found:
        return Path(found)
    raise FileNotFoundError(
        f"cannot find {name}; build Weft or set WEFT_BUILD_DIR")


def _run(tool: str, args: Iterable[str], stdin: str) -> str:
    proc = subprocess.run([str(find_tool(tool)), *args], input=stdin,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise WeftError(tool, proc.stderr)
    return proc.stdout


def opt(ir: str, passes: Union[str, Iterable[str], None] = None,
        extra_args: Optional[Iterable[str]] = None) -> str:
    """Runs `weft-opt` on `ir`.

    `passes` is either a textual pipeline ("builtin.module(func.func(...))")
    or a list of pass names ("weft-wrap-kernels", "canonicalize", ...).
    """
    args = []
    if isinstance(passes, str):
        args.append(f"--pass-pipeline={passes}")
    elif passes is not None:
        args.extend(f"--{name.lstrip('-')}" for name in passes)
    args.extend(extra_args or [])
    args.append("-")
    return _run("weft-opt", args, ir)
