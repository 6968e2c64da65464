"""The Qt binding must not lose references to None (PySide6 6.12.0 did, crashing long sessions on Python 3.11)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QLabel


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_calls_keep_none_alive(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    item = QStandardItem("x")
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        item.setEditable(False)
    assert sys.getrefcount(None) - before > -100
