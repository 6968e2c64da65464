"""The autocode dialog's preview: every passage that will be coded, with the words around it, each with a
tick box so that single passages can be left out before coding."""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from qcode.core.model import Passage
from qcode.gui.support.plain_text import as_text

PASSAGE_ROLE = Qt.ItemDataRole.UserRole + 30


class PassageModel(QAbstractTableModel):
    """The previewed passages: source (with the tick box), location, text."""

    HEADERS = ("Source", "Location", "Passage")
    chosen_changed = Signal(int)  # the number of passages ticked

    def __init__(self) -> None:
        super().__init__()
        self.passages: list[Passage] = []
        self.left_out: set[int] = set()  # rows unticked

    def set_passages(self, passages: list[Passage]) -> None:
        self.beginResetModel()
        self.passages = passages
        self.left_out = set()
        self.endResetModel()

    def chosen(self) -> list[Passage]:
        """The passages left ticked, in order."""
        return [p for row, p in enumerate(self.passages) if row not in self.left_out]

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.isValid() and index.column() == 0 else flags

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or index.column() != 0:
            return False
        ticked = Qt.CheckState(value) == Qt.CheckState.Checked  # type: ignore[arg-type]
        if ticked:
            self.left_out.discard(index.row())
        else:
            self.left_out.add(index.row())
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.chosen_changed.emit(len(self.passages) - len(self.left_out))
        return True

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.passages)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        passage = self.passages[index.row()]
        if role == PASSAGE_ROLE:
            return passage
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            return Qt.CheckState.Unchecked if index.row() in self.left_out else Qt.CheckState.Checked
        if role == Qt.ItemDataRole.ToolTipRole:
            return as_text(passage.text if index.column() == 2 else
                           (passage.source_name, passage.location, "")[index.column()])
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (passage.source_name, passage.location, passage.before + passage.text + passage.after)[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class PassageDelegate(QStyledItemDelegate):
    """Draws a passage in bold between the (plain, muted) words around it, on one line."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        passage = index.data(PASSAGE_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # type: ignore[attr-defined]
        widget = opt.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if passage is None:
            return
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        muted = opt.palette.color(QPalette.ColorRole.PlaceholderText).name()  # type: ignore[attr-defined]
        colour = opt.palette.color(role).name()  # type: ignore[attr-defined]
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(opt.font)  # type: ignore[attr-defined]
        around = colour if selected else muted
        document.setHtml(f'<span style="white-space:pre; color:{colour}"><span style="color:{around}">'
                         f"{html.escape(passage.before)}</span><b>{html.escape(passage.text)}</b>"
                         f'<span style="color:{around}">{html.escape(passage.after)}</span></span>')
        rect = opt.rect  # type: ignore[attr-defined]
        painter.save()
        painter.setClipRect(rect)
        painter.translate(rect.left() + 3, rect.top() + max(0, (rect.height() - document.size().height()) / 2))
        document.drawContents(painter)
        painter.restore()
