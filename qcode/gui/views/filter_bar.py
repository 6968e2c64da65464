"""The shared filters (codes, folders, sources, cases, attribute values, coders) for a panel's list.

A "Filters…" button opens the Export dialog's filter widget (`ExportFilters`), built from the project's
`FilterChoices`: read once per project and kept (shared by every bar of the project) until the codebook,
folders, sources, cases, attributes or coders change, so that new codes, cases and values are offered
without reading 2,000 sources' paths and attributes on the GUI thread each time; `prefetch()` reads them on
a worker. The bar then names what is filtered and has a button that clears it. The result is the core's `Filter`, the same query the CLI and the exports use.
"""

from __future__ import annotations

import weakref
from typing import ClassVar

from PySide6.QtCore import QEventLoop, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
)

from qcode.core.model import Filter
from qcode.core.project import Project
from qcode.gui.dialogs.export_filters import ChoiceButton, ExportFilters, FilterChoices, filter_choices
from qcode.gui.support.plain_text import as_text, plain_label
from qcode.gui.support.workers import CoreTask, ProjectSignals

KINDS = ("codes", "folders", "sources", "cases", "attributes", "coders")
#: changes that leave every filter's choices as they were
UNCHANGING = {"coding", "memo"}
REFETCH_AFTER_MS = 300  # after a change, read the choices again on a worker after this pause


class ChoiceCache(QObject):
    """A project's `FilterChoices`, read once and kept until a change alters them; one per project."""

    _by_project: ClassVar[weakref.WeakKeyDictionary[Project, ChoiceCache]] = weakref.WeakKeyDictionary()

    @classmethod
    def of(cls, project: Project) -> ChoiceCache:
        cache = cls._by_project.get(project)
        if cache is None:
            cache = cls._by_project[project] = cls(project)
        return cache

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = weakref.ref(project)
        self.choices: FilterChoices | None = None
        self.wanted = False  # prefetched once: read again on the worker after each change
        self._generation = 0
        self._tasks: list[CoreTask] = []
        self._waiting: QEventLoop | None = None  # get() waits for a read under way
        self.signals = ProjectSignals(project, self)
        self.signals.changed.connect(self._changed)
        self._refetch = QTimer(self)
        self._refetch.setSingleShot(True)
        self._refetch.setInterval(REFETCH_AFTER_MS)
        self._refetch.timeout.connect(self.prefetch)

    def get(self, on_worker: bool = False) -> FilterChoices:
        """The choices: the kept ones, those being read on a worker (waited for with the window responding),
        or read now when none are kept (`on_worker`: read on a worker, waited for likewise)."""
        project = self.project()
        if self.choices is None and on_worker and not self._tasks:
            self._start_read()
        if self.choices is None and self._tasks:
            self._wait_for_prefetch()
        if self.choices is None and project is not None:
            self._generation += 1  # a read under way is older
            self.choices = filter_choices(project)
        assert self.choices is not None
        return self.choices

    def _wait_for_prefetch(self) -> None:
        """Let the event loop run until the read under way on a worker is done (reading them again here took
        0.3 s and more while a view computed, with the window frozen)."""
        self._waiting = QEventLoop()
        try:
            while self._tasks:  # (_done quits the loop when a read ends)
                self._waiting.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            self._waiting = None

    def _done(self, task: CoreTask) -> None:
        self._tasks.remove(task)
        if self._waiting is not None:
            self._waiting.quit()

    def prefetch(self) -> None:
        """Read the choices on a worker (with a read-only project of its own) unless they are kept."""
        self.wanted = True
        self._start_read()

    def _start_read(self) -> None:
        project = self.project()
        if self.choices is not None or self._tasks or project is None or not project.is_open:
            return
        path, coder, generation = project.path, project.viewer().name, self._generation

        def work(_task: CoreTask) -> FilterChoices:
            with Project.open(path, mode="read", coder=coder) as reader:
                return filter_choices(reader)

        task = CoreTask(work, pause_collector=True)
        task.signals.finished.connect(lambda choices, t=task, g=generation: self._arrived(t, g, choices))
        task.signals.failed.connect(lambda *_args, t=task: self._done(t))  # read when asked instead
        self._tasks.append(task)
        task.start()

    def _arrived(self, task: CoreTask, generation: int, choices: FilterChoices) -> None:
        self._done(task)
        if generation == self._generation and self.choices is None:
            self.choices = choices
        elif self.choices is None and self.wanted:
            self._refetch.start()  # read before the last change: read again

    def _changed(self, change: object) -> None:
        if getattr(change, "kind", "") in UNCHANGING:
            return
        self._generation += 1
        self.choices = None
        if self.wanted:
            self._refetch.start()


class ElidedLabel(QLabel):
    """A one-line label that shows as much of its text as fits, with … at the end (its `text()` is whole).

    Filters naming 600 cases made a plain label some 10,000 pixels wide: its dock, and the chart beside the
    table, grew with it (a chart drawn 5,800 pixels wide took seconds of the interpreter on a worker)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().horizontalAdvance("Only ") * 3), hint.height())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), 400), hint.height())

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())
        painter.drawText(self.contentsRect(), int(self.alignment()), shown)
        painter.end()


class FilterBar(QWidget):
    """A compact row: the Filters… button, what is filtered, and Clear."""

    changed = Signal()

    def __init__(self, project: Project, *, kinds: tuple[str, ...] = KINDS, what: str = "the list",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.kinds = tuple(k for k in KINDS if k in kinds)
        self.what = what
        self.chosen: dict[str, list] = {}  # kind -> the values ticked
        self.description = ""
        self.dialog: QDialog | None = None
        self.cache = ChoiceCache.of(project)
        self.button = QToolButton()
        self.button.setText("Filters…")
        self.button.setAccessibleName(f"Filter {what}")
        self.button.setToolTip(f"Narrow {what} by {', '.join(k.replace('attributes', 'attribute values') for k in self.kinds)}")
        self.button.clicked.connect(lambda: self.open_dialog())
        self.label = plain_label(ElidedLabel())
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.label.setAccessibleName(f"Filters of {what}")
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear filters")
        self.clear_button.setAccessibleName(f"Clear the filters of {what}")
        self.clear_button.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.clear_button)
        self._show()

    def filter(self) -> Filter:
        """The chosen filters (an empty Filter when nothing is chosen)."""
        get = self.chosen.get
        return Filter(codes=tuple(get("codes", ())), folders=tuple(get("folders", ())),
                      sources=tuple(get("sources", ())), cases=tuple(get("cases", ())),
                      attributes=tuple(get("attributes", ())), coders=tuple(get("coders", ())))

    def choose(self, **values: list) -> None:
        """Set the filters directly (kind=[values]; an empty list clears that kind)."""
        for kind, chosen in values.items():
            if kind not in self.kinds:
                raise ValueError(f"this bar has no {kind} filter")
            self.chosen[kind] = list(chosen)
        self._apply_description(None)

    def prefetch(self) -> None:
        """Read the filters' choices on a worker now (and after each change), so that opening the filters
        never waits for them on the GUI thread."""
        self.cache.prefetch()

    def clear(self) -> None:
        if any(self.chosen.values()):
            self.chosen = {}
            self._apply_description(None)

    def open_dialog(self) -> QDialog:
        """The filter widget of the Export dialog, with the current choices ticked."""
        dialog = QDialog(self)
        dialog.setWindowTitle(f"Filter {self.what}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form = QFormLayout(dialog)
        filters = ExportFilters(self.project, self.cache.get(on_worker=True))
        buttons = dict(zip(KINDS, (label_button for label_button in filters.rows()), strict=True))
        for kind in self.kinds:
            label, button = buttons[kind]
            button.choose(self.chosen.get(kind, []))
            form.addRow(label, button)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(lambda: self._accept(dialog, {k: buttons[k][1] for k in self.kinds}, filters))
        box.rejected.connect(dialog.reject)
        form.addRow(box)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _accept(self, dialog: QDialog, buttons: dict[str, ChoiceButton], filters: ExportFilters) -> None:
        self.chosen = {kind: button.chosen() for kind, button in buttons.items()}
        self._apply_description(filters)
        dialog.accept()

    def _apply_description(self, filters: ExportFilters | None) -> None:
        if not any(self.chosen.values()):
            self.description = ""
        elif filters is None:  # chosen in code: named from the choices
            self.description = self.cache.get().describe({k: v for k, v in self.chosen.items() if k in self.kinds})
        else:
            self.description = filters.describe()
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        self.label.setText(f"Only {self.description}" if self.description else "No filters")
        self.label.setToolTip(as_text(self.label.text()) if self.description else "")  # (when cut short)
        self.clear_button.setEnabled(bool(self.description))
