#!/usr/bin/env python3
"""Set up a development environment for qcode and run it or its tests.

    python3 installer/bootstrap.py run [PROJECT]   set up, build the demo once, open the app
    python3 installer/bootstrap.py test [ARGS]     set up with the test extra, run lint and the test suite
    python3 installer/bootstrap.py bundle [--archive]   set up, then build the app bundle (installer/build.py)

Only the Python standard library is used here, so the script runs on a fresh machine with
nothing but Python >= 3.10. It creates `.venv` beside the repository's pyproject.toml and
installs qcode into it in editable mode; a stamp file skips reinstalling when nothing changed.
When the system lacks `venv` or the libraries Qt needs, it prints the exact command to install them.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

MIN_PYTHON = (3, 10)
ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
DEMO = ROOT / "demo.qcode"

# Debian/Ubuntu package for each shared library Qt commonly fails to find.
QT_DEBIAN_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
}
# What the test suite needs (offscreen platform) and what a desktop window needs on top.
QT_TEST_PACKAGES = ["libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3", "libglib2.0-0"]
QT_GUI_PACKAGES = [*QT_TEST_PACKAGES, "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0", "libxcb-xinerama0", "libxcb-randr0", "libxcb-render-util0", "libxcb-image0"]


class SetupError(Exception):
    """A problem the user fixes by running the command in the message."""


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def venv_script(name: str) -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / f"{name}.exe"
    return VENV / "bin" / name


def python_name() -> str:
    return f"python{sys.version_info.major}.{sys.version_info.minor}"


def check_python() -> None:
    if sys.version_info < MIN_PYTHON:
        raise SetupError(
            f"qcode needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer; this is {platform.python_version()}. "
            "Install a newer Python (python.org, or your package manager) and run this script with it."
        )


def check_venv_module() -> None:
    try:
        import ensurepip  # noqa: F401
        import venv  # noqa: F401
    except ImportError:
        raise SetupError(
            "This Python cannot create virtual environments (the venv/ensurepip modules are missing). "
            f"On Debian or Ubuntu run:  sudo apt-get install {python_name()}-venv"
        ) from None


def ensure_venv() -> None:
    if venv_python().exists():
        return
    check_venv_module()
    print(f"Creating the virtual environment in {VENV} ...", flush=True)
    result = subprocess.run([sys.executable, "-m", "venv", str(VENV)])
    if result.returncode != 0 or not venv_python().exists():
        shutil.rmtree(VENV, ignore_errors=True)
        raise SetupError(
            "Creating the virtual environment failed (see above). "
            f"On Debian or Ubuntu run:  sudo apt-get install {python_name()}-venv"
        )


def install(extra: str | None) -> None:
    """Install qcode editable into .venv, once per change of pyproject.toml."""
    spec = "." if extra is None else f".[{extra}]"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + spec.encode()).hexdigest()
    stamp = VENV / f".qcode-installed-{extra or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"Installing qcode{'' if extra is None else ' with its ' + extra + ' tools'} into .venv ...", flush=True)
    quiet = ["--quiet"] if os.environ.get("CI") else []
    cmd = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", *quiet, "-e", spec]
    if subprocess.run(cmd, cwd=ROOT).returncode != 0:
        raise SetupError("Installing qcode's dependencies failed (see the pip messages above).")
    stamp.write_text(digest)


def qt_problem(platform_name: str) -> str | None:
    """Try to start Qt in a child process; return its error output when it cannot."""
    probe = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        f"app = QApplication(['probe', '-platform', '{platform_name}'])\n"
    )
    env = dict(os.environ, QT_DEBUG_PLUGINS="1")  # makes Qt name the shared library it could not load
    result = subprocess.run([str(venv_python()), "-c", probe], capture_output=True, text=True, env=env)
    if result.returncode == 0:
        return None
    return (result.stderr or result.stdout or "").strip()


def check_qt(platform_name: str, packages: list[str]) -> None:
    problem = qt_problem(platform_name)
    if problem is None:
        return
    missing = sorted(set(re.findall(r"(lib[\w.+-]+\.so(?:\.\d+)*)", problem)))
    wanted = {QT_DEBIAN_PACKAGES[m] for m in missing if m in QT_DEBIAN_PACKAGES}
    if any("xcb" in m for m in missing):  # one missing X11 library usually means its siblings are missing too
        wanted |= {p for p in packages if "xcb" in p}
    wanted = sorted(wanted) or packages
    hint = ""
    if sys.platform.startswith("linux") and shutil.which("apt-get"):
        hint = f"\nOn Debian or Ubuntu run:  sudo apt-get install -y {' '.join(wanted)}"
    elif sys.platform.startswith("linux") and shutil.which("dnf"):
        hint = "\nOn Fedora run:  sudo dnf install -y mesa-libEGL mesa-libGL libxkbcommon-x11 xcb-util-cursor fontconfig"
    last_lines = "\n".join(line for line in problem.splitlines()[-4:] if not line.startswith("qt.core"))
    raise SetupError(f"Qt cannot start on this system ({platform_name}):\n{last_lines}{hint}")


def run_app(args: list[str]) -> int:
    install(None)
    qcode = str(venv_script("qcode"))
    if args:
        project_args = args
    else:
        if not DEMO.exists():
            print(f"Building the demo project {DEMO.name} (once; your changes to it are kept) ...", flush=True)
            if subprocess.run([qcode, "demo", str(DEMO)]).returncode != 0:
                raise SetupError("Building the demo project failed (see above).")
        project_args = [str(DEMO)]
    if not os.environ.get("QT_QPA_PLATFORM"):
        gui_platform = "windows" if os.name == "nt" else ("cocoa" if sys.platform == "darwin" else None)
        if gui_platform is None:
            has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            if not has_display:
                raise SetupError(
                    "There is no graphical display here (DISPLAY and WAYLAND_DISPLAY are unset). "
                    "Run this from a desktop session, or use the command line: .venv/bin/qcode --help"
                )
            gui_platform = "wayland" if os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY") else "xcb"
        check_qt(gui_platform, QT_GUI_PACKAGES)
    return subprocess.run([qcode, "open", *project_args]).returncode


def run_tests(args: list[str]) -> int:
    install("test")
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("HYPOTHESIS_PROFILE", "ci")
    os.environ.update(env)
    check_qt(env["QT_QPA_PLATFORM"], QT_TEST_PACKAGES)
    print("Linting with ruff ...", flush=True)
    lint = subprocess.run([str(venv_script("ruff")), "check", "qcode", "tests", "installer"], cwd=ROOT, env=env)
    print("Type checking with mypy ...", flush=True)
    types = subprocess.run([str(venv_python()), "-m", "mypy"], cwd=ROOT, env=env)
    print("Running the test suite ...", flush=True)
    tests = subprocess.run([str(venv_python()), "-m", "pytest", *args], cwd=ROOT, env=env)
    if lint.returncode != 0:
        print("ruff found problems (listed above).", file=sys.stderr)
    if types.returncode != 0:
        print("mypy found problems (listed above).", file=sys.stderr)
    return tests.returncode or lint.returncode or types.returncode


def build_bundle(args: list[str]) -> int:
    """The app bundle for this platform (installer/build.py, with the environment's Python)."""
    return subprocess.run([str(venv_python()), str(ROOT / "installer" / "build.py"), *args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "bundle"):
        print(__doc__.strip())
        return 2
    command, rest = argv[0], argv[1:]
    try:
        check_python()
        ensure_venv()
        if command == "bundle":
            return build_bundle(rest)
        return run_app(rest) if command == "run" else run_tests(rest)
    except SetupError as err:
        print(f"\nqcode setup: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
