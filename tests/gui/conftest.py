"""GUI tests run offscreen and never block on a modal dialog."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def modal_messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def record(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        shown.append(str(args[2]) if len(args) > 2 else "")
        return QMessageBox.StandardButton.Ok

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record))
    return shown


@pytest.fixture(autouse=True)
def _thread_pool_drained():
    """Background work (reads of coded segments, exports, searches) ends before the next test starts, and what
    the test's windows left in reference cycles is collected: a Python wrapper of a Qt item deleted with its
    window, kept alive in a cycle, could otherwise be handed back by PySide for a new Qt object made later at the
    same address (seen as a menu action or a text document coming back as a QStandardItem in a later test)."""
    yield
    import gc

    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(10_000)
    gc.collect()
