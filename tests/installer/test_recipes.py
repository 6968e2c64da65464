"""The packaging recipes are well-formed and agree with each other: one version, the .qcode file type declared
the same way for Linux, Windows and macOS (those two cannot be built here, so they are checked statically)."""

from __future__ import annotations

import ast
import configparser
import plistlib
import re
import subprocess
import sys
from pathlib import Path

from defusedxml import ElementTree

import qcode

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"


def test_one_version_everywhere() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'version = { attr = "qcode.__version__" }' in pyproject
    assert re.fullmatch(r"\d+\.\d+\.\d+", qcode.__version__)
    shown = subprocess.run([sys.executable, "-m", "qcode", "--version"], capture_output=True, text=True, timeout=60)
    assert shown.stdout.strip() == f"qcode {qcode.__version__}"


def test_linux_desktop_entry_and_file_type() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(INSTALLER / "linux" / "qcode.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"] == "qcode %f"
    assert "application/x-qcode" in desktop["MimeType"].split(";")
    assert desktop["Icon"] == "qcode"
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    mime = ElementTree.parse(INSTALLER / "linux" / "qcode-mime.xml").getroot()
    kind = mime.find("m:mime-type", ns)
    assert kind is not None
    assert kind.get("type") == "application/x-qcode"
    glob = kind.find("m:glob", ns)
    assert glob is not None
    assert glob.get("pattern") == "*.qcode"
    install = (INSTALLER / "linux" / "install.sh").read_text()
    assert "for size in 16 24 32 48 64 128 256 512" in install
    for size in (16, 24, 32, 48, 64, 128, 256, 512):  # what install.sh copies into the icon theme
        assert (ROOT / "resources" / "icons" / f"qcode-{size}.png").is_file()


def test_windows_installer_associates_the_file_type() -> None:
    script = (INSTALLER / "windows" / "qcode.iss").read_text(encoding="utf-8")
    assert "ChangesAssociations=yes" in script
    assert 'Subkey: "Software\\Classes\\.qcode"' in script
    assert '""{app}\\qcode.exe"" ""%1""' in script
    assert "{group}\\qcode" in script
    assert (ROOT / "resources" / "icons" / "qcode.ico").is_file()


def test_macos_bundle_declares_the_document_type() -> None:
    info = plistlib.loads((INSTALLER / "macos" / "Info.plist").read_bytes())
    assert info["CFBundleExecutable"] == "qcode"
    (document,) = info["CFBundleDocumentTypes"]
    (exported,) = info["UTExportedTypeDeclarations"]
    assert document["LSItemContentTypes"] == [exported["UTTypeIdentifier"]]
    assert exported["UTTypeTagSpecification"]["public.filename-extension"] == ["qcode"]
    assert (ROOT / "resources" / "icons" / "qcode.icns").is_file()


def test_the_spec_is_python_and_names_the_entry_point() -> None:
    spec = (INSTALLER / "qcode.spec").read_text()
    ast.parse(spec)
    assert '"qcode" / "__main__.py"' in spec
    assert "PySide6.QtNetwork" in spec  # unused Qt modules are left out
