"""The wheel carries what an installed qcode needs: the demo material is package data, so `qcode demo` works
from an installation that has no source checkout beside it."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "qcode" / "resources" / "demo"


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("setuptools") is None, reason="setuptools is needed to build a wheel")
def test_an_installed_wheel_builds_the_demo(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("qcode-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    material = {f"qcode/resources/demo/{p.relative_to(DEMO).as_posix()}" for p in DEMO.rglob("*") if p.is_file()}
    assert material, "the demo material is in the source tree"
    assert material <= names

    target = tmp_path / "installed"
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                                str(wheel)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    script = ("import sys, qcode; from qcode.cli import main; "
              "assert qcode.__file__.startswith(sys.argv[1]), qcode.__file__; "
              "sys.exit(main(['demo', sys.argv[2]]))")
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = subprocess.run([sys.executable, "-c", script, str(target), str(tmp_path / "demo.qcode")],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "demo.qcode").stat().st_size > 100_000
