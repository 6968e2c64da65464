"""The Analysis area: one tab per question of the data (the views listed in `registry.VIEWS`), in a dock of
the main window. Each tab's view is made (its module imported) and computes its first result when the tab is
first shown; a click on a number lists its excerpts in the Coded segments panel.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from qcode.core.project import Project
from qcode.gui.analysis.base import AnalysisView
from qcode.gui.analysis.registry import VIEWS


class AnalysisArea(QTabWidget):
    """The tabs of the analysis views; `excerpts_requested`/`filter_requested` relay a view's click-through."""

    excerpts_requested = Signal(object, str)
    filter_requested = Signal(object, str)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setObjectName("AnalysisArea")
        self.setAccessibleName("Analysis")
        self.setDocumentMode(True)
        #: the views made so far (a tab holds a placeholder until it is first shown: making all six when the
        #: area first opened took a third of the 100 ms a step may block the window)
        self.views: dict[str, AnalysisView] = {}
        self._keys = [entry.key for entry in VIEWS]
        for entry in VIEWS:
            placeholder = QWidget()
            placeholder.setObjectName(f"analysis-placeholder-{entry.key}")
            self.addTab(placeholder, entry.tab_title)
        self.currentChanged.connect(self._shown)

    def view(self, key: str) -> AnalysisView:
        """The view of `key`, made (in its tab) if it was not yet."""
        view = self.views.get(key)
        if view is None:
            entry = VIEWS[self._keys.index(key)]
            view = entry.view_class()(self.project)
            view.excerpts_requested.connect(self.excerpts_requested)
            view.filter_requested.connect(self.filter_requested)
            self.views[key] = view
            index, current = self._keys.index(key), self.currentIndex()
            placeholder = self.widget(index)
            self.blockSignals(True)  # the same tab, now with its view: no tab change to report
            try:
                self.removeTab(index)
                self.insertTab(index, view, view.title)
                self.setCurrentIndex(current)
            finally:
                self.blockSignals(False)
            placeholder.deleteLater()
        return view

    def show_view(self, key: str) -> AnalysisView:
        """Bring a view to the front (made if it was not yet) and compute its first result if it has none."""
        view = self.view(key)
        self.setCurrentWidget(view)
        view.start()
        return view

    def _shown(self, index: int) -> None:
        if 0 <= index < len(self._keys):
            self.view(self._keys[index]).start()

    def detach(self) -> None:
        """Stop following the project (the window closes)."""
        for view in self.views.values():
            view.signals.detach()
