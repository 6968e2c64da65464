"""Help > About qcode lists qcode's licence and every package it runs on, with their licence texts; and
`qcode open PROJECT --ready-check` starts the app, reports when it is usable and quits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from qcode.gui.dialogs.about_dialog import AboutDialog
from qcode.third_party import bundled_packages


def test_about_lists_every_package_with_its_licence(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    names = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    assert names[0] == "qcode"
    assert "Apache" in dialog.table.item(0, 2).text()
    packages = {p.name.lower().replace("_", "-"): p for p in bundled_packages()}
    assert {"python-docx", "openpyxl", "pyside6-essentials", "pdfminer.six", "defusedxml"} <= set(packages)
    assert len(names) == len(packages) + 1
    pyside = next(row for row, name in enumerate(names) if name.lower().startswith("pyside6"))
    assert "LGPL-3.0" in dialog.table.item(pyside, 2).text()
    dialog.table.setCurrentCell(pyside, 0)
    assert "Lesser General Public License" in dialog.text.toPlainText()
    docx_row = next(row for row, name in enumerate(names) if name.lower() == "python-docx")
    dialog.table.setCurrentCell(docx_row, 0)
    assert "Permission is hereby granted" in dialog.text.toPlainText()  # the MIT licence text it ships


def test_ready_check_opens_the_window_and_quits(tmp_path: Path) -> None:
    from qcode.cli import main

    demo = tmp_path / "demo.qcode"
    assert main(["demo", str(demo)]) == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QCODE_CODER": "Tester", "QCODE_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "qcode", "open", str(demo), "--ready-check"], capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("qcode: ready in ")
    assert main(["open", "--ready-check"]) == 2
