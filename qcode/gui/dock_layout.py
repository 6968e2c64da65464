"""The main window's default panel arrangement, and a guard against stray dock tab bars.

By default the Sources and Codebook columns run the full height of the window, the memo sits under the
codebook, and the coded segments (tabbed with the cases) sit under the document. On the first show the
panels get sizes in proportion to the window, unless a saved layout was restored.

Qt 6.11 leaves a second, unused tab bar behind when a second pair of docks is tabified; it stays visible at
its first position (over another panel). `hide_stray_tab_bars` hides such a duplicate: the tab bar Qt uses
is the one that borders its current dock.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar

Area = Qt.DockWidgetArea


def _clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, value)))


class DockLayout(QObject):
    """Arranges the window's docks (found by their titles) and keeps its tab bars tidy."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.restored = False  # set when the window restored a saved layout: its sizes are the user's
        self._sized = False
        self._tidy_pending = False
        window.setCorner(Qt.Corner.BottomLeftCorner, Area.LeftDockWidgetArea)
        window.setCorner(Qt.Corner.BottomRightCorner, Area.RightDockWidgetArea)
        codebook, memo = self.dock("Codebook"), self.dock("Memo")
        if codebook is not None and memo is not None:
            window.splitDockWidget(codebook, memo, Qt.Orientation.Vertical)
        window.installEventFilter(self)

    def dock(self, title: str) -> QDockWidget | None:
        return next((d for d in self.window.findChildren(QDockWidget) if d.windowTitle() == title), None)

    def fit(self) -> None:
        """Panel sizes in proportion to the window: wide enough for code and source names, the text widest."""
        width, height = self.window.width(), self.window.height()
        horizontal = [(self.dock("Sources"), _clamp(width * 0.19, 230, 340)),
                      (self.dock("Codebook"), _clamp(width * 0.27, 300, 460))]
        vertical = [(self.dock("Coded segments"), _clamp(height * 0.3, 170, 420))]
        for pairs, orientation in ((horizontal, Qt.Orientation.Horizontal), (vertical, Qt.Orientation.Vertical)):
            present = [(d, size) for d, size in pairs if d is not None and not d.isFloating()]
            if present:
                self.window.resizeDocks([d for d, _ in present], [s for _, s in present], orientation)
        codebook, memo = self.dock("Codebook"), self.dock("Memo")
        if codebook is not None and memo is not None and self.window.dockWidgetArea(memo) == Area.RightDockWidgetArea:
            self.window.resizeDocks([codebook, memo], [int(height * 0.58), int(height * 0.32)],
                                    Qt.Orientation.Vertical)

    def hide_stray_tab_bars(self) -> None:
        """Hide a duplicate dock tab bar that does not border the dock it would switch."""
        self._tidy_pending = False
        bars = [b for b in self.window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
                if b.isVisible() and b.count() > 1]
        groups: dict[tuple[str, ...], list[QTabBar]] = {}
        for bar in bars:
            groups.setdefault(tuple(bar.tabText(i) for i in range(bar.count())), []).append(bar)
        for titles, same in groups.items():
            if len(same) < 2:
                continue
            current = [d for d in (self.dock(t) for t in titles) if d is not None and d.isVisible()
                       and not d.visibleRegion().isEmpty()]
            if not current:
                continue
            for bar in same:
                touching = bar.geometry().adjusted(-3, -3, 3, 3).intersects(current[0].geometry())
                if not touching:
                    bar.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.window and kind in (QEvent.Type.Show, QEvent.Type.LayoutRequest, QEvent.Type.Resize):
            if kind == QEvent.Type.Show and not self._sized:
                self._sized = True
                if not self.restored:
                    self.fit()
            if not self._tidy_pending:
                self._tidy_pending = True
                QTimer.singleShot(0, self, self.hide_stray_tab_bars)
        return False
