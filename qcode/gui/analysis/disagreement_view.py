"""Reviewing disagreements: a source with one lane per coder beside its text, agreements and disagreements
coloured, next/previous disagreement, and one-click resolutions (accept a coder's version, keep both, remove),
each an undo step on the window's stack.

The rules of each resolution are the core's (`qcode.core.team.review`); this view only shows and asks.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QTextCharFormat, QTextCursor, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from qcode.core.model import Coder
from qcode.core.project import Change, Disagreement, Project
from qcode.core.project import coders_coverage as coverage
from qcode.core.project import disagreement_resolution as resolution
from qcode.gui.commands.base import push_or_warn
from qcode.gui.commands.team import ResolveDisagreement
from qcode.gui.support.view_options import is_dark
from qcode.gui.support.workers import ProjectSignals

LANE = 14
AGREE = ("#d8f0d8", "#2f5a33")  # light and dark theme backgrounds
DIFFER = ("#f8d7d2", "#6a2f2a")
CURRENT = ("#ffb870", "#8a5a1a")


class CoderLanes(QWidget):
    """One lane per coder beside the text: a bar in the coder's colour where they coded (the shown code)."""

    def __init__(self, editor: QPlainTextEdit, coders: list[Coder]) -> None:
        super().__init__()
        self.editor = editor
        self.coders = coders
        self.ranges: dict[int, list[tuple[int, int]]] = {}  # coder id -> coded ranges in the shown source
        self.current: tuple[int, int] | None = None
        self.setFixedWidth(LANE * len(coders) + 6)
        self.setAccessibleName("Coder lanes")
        self.setToolTip(", ".join(f"lane {i + 1}: {c.name}" for i, c in enumerate(coders)))
        editor.verticalScrollBar().valueChanged.connect(lambda _: self.update())
        editor.updateRequest.connect(lambda *_: self.update())

    def y_range(self, start: int, end: int) -> tuple[int, int]:
        """The vertical extent of characters [start, end) in this widget's coordinates."""
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(start)
        top = self.editor.cursorRect(cursor).top()
        cursor.setPosition(max(start, end))
        bottom = self.editor.cursorRect(cursor).bottom()
        offset = self.mapFromGlobal(self.editor.viewport().mapToGlobal(QPoint(0, 0))).y()
        return top + offset, bottom + offset

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        height = self.height()
        if self.current is not None:
            top, bottom = self.y_range(*self.current)
            painter.fillRect(QRect(0, top, self.width(), bottom - top), QColor(CURRENT[is_dark(self.palette())]))
        for lane, coder in enumerate(self.coders):
            x = 3 + lane * LANE
            for start, end in self.ranges.get(coder.id, []):
                top, bottom = self.y_range(start, end)
                if bottom < 0 or top > height:
                    continue
                painter.fillRect(QRect(x + 2, top, LANE - 4, max(3, bottom - top)), QColor(coder.color))
        painter.end()


class DisagreementReview(QDialog):
    """Walk through the disagreements of some coders, source by source, and resolve each one."""

    resolved = Signal(str)  # a description of the step taken

    def __init__(self, project: Project, undo_stack: QUndoStack, coder_ids: tuple[int, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review disagreements")
        self.setObjectName("DisagreementReview")
        self.project = project
        self.undo_stack = undo_stack
        self.coders = [project.coder(coder_id) for coder_id in coder_ids]
        self.coder_ids = tuple(c.id for c in self.coders)
        self.items: list[Disagreement] = []
        self.stretches: list[Disagreement] = []
        self.index = -1
        self.kept: set[Disagreement] = set()
        self.shown_source: int | None = None
        self.resize(1000, 700)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Code:"))
        self.code = QComboBox()
        self.code.setAccessibleName("Code reviewed")
        self.code.addItem("All codes", None)
        for code in project.codes():
            self.code.addItem(project.code_path(code.id), code.id)
        self.code.currentIndexChanged.connect(lambda _: self.reload(keep_place=False))
        top.addWidget(self.code, 1)
        top.addWidget(QLabel("Source:"))
        self.source = QComboBox()
        self.source.setAccessibleName("Source reviewed")
        self.source.addItem("All sources", None)
        for source in project.sources():
            self.source.addItem(project.source_path(source.id), source.id)
        self.source.currentIndexChanged.connect(lambda _: self.reload(keep_place=False))
        top.addWidget(self.source, 1)
        self.where = QLabel()
        self.where.setAccessibleName("Current disagreement")
        layout.addLayout(top)
        layout.addWidget(self.where)
        centre = QHBoxLayout()
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Source text")
        self.lanes = CoderLanes(self.text, self.coders)
        centre.addWidget(self.lanes)
        centre.addWidget(self.text, 1)
        layout.addLayout(centre, 1)
        legend = " · ".join(f"lane {i + 1}: {c.name}" for i, c in enumerate(self.coders))
        layout.addWidget(QLabel(f"{legend}. For the code of the current disagreement: green where every coder "
                                "coded it, red where some did and some did not."))
        buttons = QHBoxLayout()
        self.previous_button = QPushButton("◀ &Previous")
        self.previous_button.clicked.connect(lambda: self.go(-1))
        self.next_button = QPushButton("&Next ▶")
        self.next_button.clicked.connect(lambda: self.go(1))
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        buttons.addSpacing(16)
        self.accept_buttons: dict[int, QPushButton] = {}
        for coder in self.coders:
            button = QPushButton(f"Accept {coder.name}'s version")
            button.setToolTip(f"Every other coder's coding of this passage becomes {coder.name}'s")
            button.clicked.connect(lambda _=False, c=coder.id: self.resolve("accept", c))
            buttons.addWidget(button)
            self.accept_buttons[coder.id] = button
        self.keep_button = QPushButton("&Keep both")
        self.keep_button.setToolTip("Leave the difference as it is and go on")
        self.keep_button.clicked.connect(lambda: self.resolve("keep"))
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setToolTip("Nobody's coding covers this passage any more")
        self.remove_button.clicked.connect(lambda: self.resolve("remove"))
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.signals = ProjectSignals(project, self)
        self.signals.changed.connect(self._changed)
        self.finished.connect(lambda _: self.signals.detach())
        self.reload(keep_place=False)

    # --- the list ---------------------------------------------------------------------------------------

    def _code_ids(self) -> list[int] | None:
        code_id = self.code.currentData()
        return None if code_id is None else [code_id]

    def reload(self, *, keep_place: bool = True) -> None:
        """Find the disagreements again (after a change), staying at the same place in the text."""
        place = self.current()
        source_id = self.source.currentData()
        self.stretches = coverage(self.project, self.coder_ids, code_ids=self._code_ids(),
                                  source_ids=None if source_id is None else [source_id])
        self.items = [d for d in self.stretches if len(d.coders) < len(self.coder_ids)]
        if not self.items:
            self.index = -1
        elif keep_place and place is not None:
            order = {s.id: i for i, s in enumerate(self.project.sources())}
            key = (order.get(place.source_id, 0), place.start)
            self.index = next((i for i, d in enumerate(self.items)
                               if (order.get(d.source_id, 0), d.start) >= key), len(self.items) - 1)
        else:
            self.index = 0
        self.shown_source = None
        self._show()

    def current(self) -> Disagreement | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def go(self, step: int) -> None:
        if self.items:
            self.index = (self.index + step) % len(self.items)
            self._show()

    # --- resolving ----------------------------------------------------------------------------------------

    def resolve(self, action: str, coder_id: int | None = None) -> bool:
        """Resolve the current disagreement; the next one is shown. False when nothing was done."""
        item = self.current()
        if item is None:
            return False
        if action == "keep":
            self.kept.add(item)
            self.resolved.emit("kept both")
            self.go(1)
            return True
        plan = resolution(self.project, item, action, coder_ids=self.coder_ids, accept=coder_id)
        code = self.project.code_path(item.code_id)
        label = (f"Accept {self.project.coder(coder_id).name}'s coding of '{code}'" if action == "accept"
                 else f"Remove the disputed coding of '{code}'")
        if not push_or_warn(self.undo_stack, ResolveDisagreement(self.project, plan, label), self):
            return False
        self.resolved.emit(label)
        return True

    def _changed(self, change: Change) -> None:
        if self.project.blind_coding:  # blind coding started meanwhile: comparing ends here
            self.close()
            return
        if change.kind in ("coding", "code", "source", "coder"):
            self.reload()

    # --- showing --------------------------------------------------------------------------------------

    def _show(self) -> None:
        item = self.current()
        enabled = item is not None
        for widget in (self.previous_button, self.next_button, self.keep_button, self.remove_button,
                       *self.accept_buttons.values()):
            widget.setEnabled(enabled)
        if item is None:
            self.where.setText("No disagreements: the coders agree on everything shown.")
            self.text.setExtraSelections([])
            self.lanes.current = None
            self.lanes.update()
            return
        if self.shown_source != item.source_id:
            self.text.setPlainText(self.project.source_text(item.source_id))
            self.shown_source = item.source_id
        names = ", ".join(self.project.coder(c).name for c in item.coders)
        kept = " (kept as it is)" if item in self.kept else ""
        self.where.setText(f"{self.index + 1} of {len(self.items)} · {self.project.source(item.source_id).name}, "
                           f"{self.project.describe_location(item.source_id, item.start)} · "
                           f"{self.project.code_path(item.code_id)} · coded by {names} only{kept}")
        for coder_id, button in self.accept_buttons.items():
            button.setEnabled(True)
            button.setDefault(coder_id in item.coders)
        self._colour(item)

    def _colour(self, item: Disagreement) -> None:
        dark = is_dark(self.palette())
        selections = []
        here = [s for s in self.stretches if s.source_id == item.source_id and s.code_id == item.code_id]
        for stretch in here:
            colour = AGREE if len(stretch.coders) == len(self.coder_ids) else DIFFER
            selections.append(self._selection(stretch.start, stretch.end, colour[dark]))
        selections.append(self._selection(item.start, item.end, CURRENT[dark]))
        self.text.setExtraSelections(selections)
        cursor = self.text.textCursor()
        cursor.setPosition(item.start)
        cursor.setPosition(item.end, QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)
        self.text.centerCursor()
        ranges: dict[int, list[tuple[int, int]]] = {c: [] for c in self.coder_ids}
        for coding in self.project.codings_for_source(item.source_id):
            if coding.coder_id in ranges and coding.code_id == item.code_id:
                ranges[coding.coder_id].append((coding.start, coding.end))
        self.lanes.ranges = ranges
        self.lanes.current = (item.start, item.end)
        self.lanes.update()

    def _selection(self, start: int, end: int, colour: str) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        text_format = QTextCharFormat()
        text_format.setBackground(QColor(colour))
        selection.format = text_format
        return selection
