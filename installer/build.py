#!/usr/bin/env python3
"""Build the qcode app bundle for this platform with PyInstaller.

    .venv/bin/python installer/build.py             the bundle: dist/qcode/ (dist/qcode/qcode, qcode.exe on Windows)
    .venv/bin/python installer/build.py --archive   also a tarball (Linux) or zip (Windows) of it, with the desktop
                                                    integration files, in dist/

Run it with the Python that has qcode and its dependencies installed (the project's .venv). PyInstaller is
installed into that interpreter when it is missing. Its work folder lives in a temporary directory, so only
dist/ is left. At the end the script prints the bundle's size, and the largest parts of it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "qcode.spec"
DIST = ROOT / "dist"
BUNDLE = DIST / "qcode"
LINUX_FILES = ("qcode.desktop", "qcode-mime.xml", "install.sh")


def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        print("Installing PyInstaller into this Python ...", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "pyinstaller>=6.6"], check=True)


def executable() -> Path:
    return BUNDLE / ("qcode.exe" if os.name == "nt" else "qcode")


def folder_size(path: Path) -> int:
    """Bytes on disk of the files in a folder (links to files counted once, where they point)."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def report_size() -> None:
    total = folder_size(BUNDLE)
    print(f"\nThe bundle {BUNDLE} takes {total / 1e6:.0f} MB on disk. Its largest parts:")
    internal = BUNDLE / "_internal"
    parts = [(folder_size(p) if p.is_dir() else p.stat().st_size, p.name) for p in internal.iterdir()
             if not p.is_symlink()]
    for size, name in sorted(parts, reverse=True)[:8]:
        print(f"  {size / 1e6:7.1f} MB  {name}")


def archive() -> Path:
    """The bundle with the desktop integration files, packed for this platform."""
    from qcode import __version__

    machine = platform.machine().lower() or "unknown"
    if sys.platform.startswith("linux"):
        target = DIST / f"qcode-{__version__}-linux-{machine}.tar.gz"
        with tarfile.open(target, "w:gz") as tar:
            tar.add(BUNDLE, arcname="qcode")
            for name in LINUX_FILES:
                tar.add(ROOT / "installer" / "linux" / name, arcname=f"qcode/{name}")
            tar.add(ROOT / "resources" / "icons", arcname="qcode/icons")
        return target
    target = DIST / f"qcode-{__version__}-{sys.platform}-{machine}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in BUNDLE.rglob("*"):
            zf.write(file, Path("qcode") / file.relative_to(BUNDLE))
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", action="store_true", help="also pack the bundle for distribution")
    args = parser.parse_args()
    ensure_pyinstaller()
    shutil.rmtree(BUNDLE, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="qcode-pyinstaller-") as work:
        subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                        "--distpath", str(DIST), "--workpath", work, str(SPEC)], check=True, cwd=ROOT)
    if not executable().is_file():
        print(f"PyInstaller finished but {executable()} is missing.", file=sys.stderr)
        return 1
    report_size()
    if args.archive:
        print(f"Packed {archive()}")
    print(f"\nRun it: {executable()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
