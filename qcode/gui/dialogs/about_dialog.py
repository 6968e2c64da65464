"""Help > About qcode: the version, qcode's licence, and every package the app runs on with its licence."""

from __future__ import annotations

import html
from importlib import resources

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from qcode import __version__
from qcode.gui.support.tables import fill_rows, row_table
from qcode.third_party import Package, bundled_packages, describe

QT_NOTE = ("Qt and PySide6 are used under the GNU Lesser General Public License v3 (LGPL-3.0); their source "
           "code is published by The Qt Company and the Qt Project. qcode loads them as separate libraries, "
           "which you may replace with your own builds.")


class AboutDialog(QDialog):
    """The version and licences; selecting a package shows its licence texts below the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About qcode")
        self.resize(720, 560)
        own = describe("qcode")
        self.packages: list[Package] = ([own] if own is not None else []) + bundled_packages()

        header = QHBoxLayout()
        icon = QLabel()
        path = resources.files("qcode") / "resources" / "qcode.png"
        if path.is_file():
            icon.setPixmap(QPixmap(str(path)).scaled(64, 64, Qt.AspectRatioMode.KeepAspectRatio,
                                                     Qt.TransformationMode.SmoothTransformation))
        header.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        self.summary = QLabel(
            f"<h2>qcode {html.escape(__version__)}</h2>"
            "<p>Qualitative coding of interviews, focus groups, literature and survey answers.</p>"
            "<p>Licensed under the Apache License 2.0. Your projects stay on your computer: qcode never opens "
            "a network connection.</p>"
            f"<p>qcode runs on these packages ({len(self.packages) - 1}), each under its own licence:</p>"
        )
        self.summary.setWordWrap(True)
        header.addWidget(self.summary, 1)

        self.table = row_table("Packages and licences", ["Package", "Version", "Licence"], stretch=[2], one_row=True)
        fill_rows(self.table, ((package.name, package.version, package.licence) for package in self.packages))
        self.table.resizeColumnsToContents()
        self.text = QPlainTextEdit(readOnly=True)
        self.text.setAccessibleName("Licence text")
        self.table.currentCellChanged.connect(lambda row, *_: self.show_licence(row))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.text, 3)
        layout.addWidget(buttons)
        self.table.setCurrentCell(0, 0)

    def show_licence(self, row: int) -> None:
        """Show the licence texts of the package in `row` (with a note on Qt's LGPL for PySide6)."""
        if not 0 <= row < len(self.packages):
            return
        package = self.packages[row]
        parts = list(package.texts)
        if package.name.lower().startswith(("pyside6", "shiboken6")):
            parts.insert(0, QT_NOTE)
        self.text.setPlainText("\n\n".join(parts) or f"{package.name} is licensed under {package.licence}.")
