"""`cmake --install <build> --component python` gives a self-contained
package: imported from outside the checkout, without WEFT_BUILD_DIR, it
loads its own extension and finds the tools of the build it came from."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

BUILD = os.environ.get("WEFT_BUILD_DIR")


@pytest.mark.skipif(not BUILD, reason="needs WEFT_BUILD_DIR (utils/test.sh)")
def test_install_component_python(tmp_path):
    env = dict(os.environ, DESTDIR=str(tmp_path))
    subprocess.run(["cmake", "--install", BUILD, "--component", "python"],
                   check=True, capture_output=True, env=env)
    (package,) = tmp_path.rglob("weft/__init__.py")
    site = package.parent.parent
    assert any(site.glob("weft/_weft*.so"))
    env = {k: v for k, v in os.environ.items()
           if k not in ("WEFT_BUILD_DIR", "PYTHONPATH")}
    env["PYTHONPATH"] = str(site)
    env["PATH"] = "/usr/bin:/bin"  # no build/bin: tools come from the install
    script = (
        "import weft, weft._weft as ext\n"
        "print(weft.__file__); print(ext.__file__)\n"
        "print(weft.find_tool('weft-opt'))\n"
        "print(weft.Module.parse('func.func @f() { return }'))\n")
    out = subprocess.run([sys.executable, "-c", script], cwd="/", env=env,
                         check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()
    assert lines[0].startswith(str(site)) and lines[1].startswith(str(site))
    assert Path(lines[2]).parent == Path(BUILD).resolve() / "bin" or \
        Path(lines[2]).parent == Path(BUILD) / "bin"
    assert "func.func @f()" in out
