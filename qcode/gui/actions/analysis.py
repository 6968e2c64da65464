"""The Analyse menu and the Analysis area: one entry per analysis view, and an Analyse button on the toolbar.

The menu is shared: team work adds Agreement and Review disagreements to it (`analyse_menu`). The area and
its views are built on first use, so opening a project window loads neither them nor matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QStyle

from qcode.gui.analysis.registry import VIEWS

if TYPE_CHECKING:
    from qcode.gui.analysis.area import AnalysisArea


def analyse_menu(window: QMainWindow) -> QMenu:
    """The window's Analyse menu, created (before Help) on first call; every analysis entry goes here."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if menu is not None and action.text().replace("&", "") == "Analyse":
            return menu  # type: ignore[return-value]
    menu = QMenu("&Analyse", window)
    help_menu = next((a for a in window.menuBar().actions() if a.text().replace("&", "") == "Help"), None)
    if help_menu is not None:
        window.menuBar().insertMenu(help_menu, menu)
    else:
        window.menuBar().addMenu(menu)
    return menu


class AnalysisActions(QObject):
    """Opens the Analysis area on a chosen view and wires its click-through to the Coded segments panel."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.area: AnalysisArea | None = None
        self.dock: QDockWidget | None = None
        menu = analyse_menu(window)
        self.actions: dict[str, QAction] = {}
        for entry in VIEWS:
            action = QAction(entry.menu_text, window)
            action.triggered.connect(lambda _=False, key=entry.key: self.open(key))
            if entry.shortcut:
                action.setShortcut(QKeySequence(entry.shortcut))
            menu.addAction(action)
            self.actions[entry.key] = action
        menu.addSeparator()
        self.toolbar_action = QAction(window.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView),
                                      "Analyse", window)
        self.toolbar_action.setToolTip("Frequencies, matrices, co-occurrence and more, as tables and charts")
        self.toolbar_action.triggered.connect(lambda _=False: self.open(None))
        toolbar = getattr(window, "toolbar", None)
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addAction(self.toolbar_action)

    def open(self, key: str | None = None) -> AnalysisArea:
        """Show the Analysis area (built on first use) on the view `key` (None: the one shown last)."""
        area, dock = (self.area, self.dock) if self.area is not None and self.dock is not None else self._build()
        dock.show()
        dock.raise_()
        if key is None:
            key = next((k for k, v in area.views.items() if v is area.currentWidget()), VIEWS[0].key)
        area.show_view(key)
        return area

    def _build(self) -> tuple[AnalysisArea, QDockWidget]:
        from qcode.gui.analysis.area import AnalysisArea

        window = self.window
        self.area = AnalysisArea(window.project)  # type: ignore[attr-defined]
        # matplotlib loads on a worker once the window has shown the area: the first chart asks for it when
        # the first result is shown (loading it while the dock first showed, with the first result being
        # computed, took turns at the interpreter with painting the window: it froze for 100 to 300 ms)
        segments = getattr(window, "segments", None)
        if segments is not None:
            self.area.excerpts_requested.connect(lambda read, what: self._list(lambda: segments.show_excerpts(read, what)))
            self.area.filter_requested.connect(lambda flt, what: self._list(lambda: segments.show_filter(flt, what)))
        dock = QDockWidget("Analysis", window)
        dock.setObjectName("dock-Analysis")
        dock.setWidget(self.area)
        self.dock = dock
        if not window.restoreDockWidget(dock):  # where the user left it, if the saved layout knows it
            # beside the coded segments (which list what a click on a number finds), not tabbed with them
            window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock, Qt.Orientation.Horizontal)
            segments_dock = getattr(segments, "parentWidget", lambda: None)()
            QTimer.singleShot(0, lambda: self._fit(dock, segments_dock))  # once laid out
        closed = getattr(window, "closed", None)
        if closed is not None:
            closed.connect(self.area.detach)
        return self.area, dock

    def _fit(self, dock: QDockWidget, segments_dock: object) -> None:
        """First opening: the analysis gets most of the window's height and two thirds of its width."""
        window = self.window
        if isinstance(segments_dock, QDockWidget) and not segments_dock.isFloating():
            window.resizeDocks([segments_dock, dock], [int(window.width() * 0.3), int(window.width() * 0.7)],
                               Qt.Orientation.Horizontal)
        window.resizeDocks([dock], [int(window.height() * 0.6)], Qt.Orientation.Vertical)

    def _list(self, show: object) -> None:
        """List excerpts in the Coded segments panel, brought to the front."""
        segments = getattr(self.window, "segments", None)
        dock = segments.parentWidget() if segments is not None else None
        if isinstance(dock, QDockWidget):
            dock.show()
            dock.raise_()
        show()  # type: ignore[operator]
