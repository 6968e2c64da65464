"""The Analysis area: one tab per question of the data (the views listed in `registry.VIEWS`), in a dock of
the main window. Each tab computes its first result when it is first shown; a click on a number lists its excerpts
in the Coded segments panel.
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
        self.views: dict[str, AnalysisView] = {}
        for entry in VIEWS:
            view = entry.view_class()(project)
            view.excerpts_requested.connect(self.excerpts_requested)
            view.filter_requested.connect(self.filter_requested)
            self.views[entry.key] = view
            self.addTab(view, view.title)
        self.currentChanged.connect(self._shown)

    def show_view(self, key: str) -> AnalysisView:
        """Bring a view to the front and compute its first result if it has none yet."""
        view = self.views[key]
        self.setCurrentWidget(view)
        view.start()
        return view

    def _shown(self, index: int) -> None:
        view = self.widget(index)
        if isinstance(view, AnalysisView):
            view.start()

    def detach(self) -> None:
        """Stop following the project (the window closes)."""
        for view in self.views.values():
            view.signals.detach()
