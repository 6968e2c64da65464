"""Tree models of the project's sources (in folders) and of the codebook (with counts)."""

from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap, QStandardItem, QStandardItemModel

from qcode.core.model import Code, Filter
from qcode.core.project import Project
from qcode.gui.support.plain_text import as_text

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
SOURCES_MIME = "application/x-qcode-sources"


def swatch(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


def key_swatch(color: str, digit: int, size: int = 16) -> QIcon:
    """A code's colour with its quick key written on it, in black or white, whichever reads better."""
    pixmap = QPixmap(size, size)
    fill = QColor(color)
    pixmap.fill(fill)
    painter = QPainter(pixmap)
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(size - 4)
    painter.setFont(font)
    painter.setPen(QColor("#000000") if fill.lightnessF() > 0.55 else QColor("#ffffff"))
    painter.drawText(pixmap.rect(), int(Qt.AlignmentFlag.AlignCenter), str(digit))
    painter.end()
    return QIcon(pixmap)


def _item(text: str, kind: str, item_id: int) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(item_id, ID_ROLE)
    item.setData(kind, KIND_ROLE)
    return item


class SourcesModel(QStandardItemModel):
    """Folders and sources, with each source's number of codings.

    Sources and folders can be dragged onto folders (or the empty area, for the top level); the model
    does not move anything itself but asks, with `move_requested`, so that the move is an undo command.
    """

    move_requested = Signal(list, object)  # [(kind, id), ...], target folder id or None

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        #: each source's place in the core's listing order (the order of excerpt lists)
        self.ranks: dict[int, int] = {}
        self.setHorizontalHeaderLabels(["Source", "Codings"])
        self.reload()

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index) & ~Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return flags | Qt.ItemFlag.ItemIsDropEnabled
        if index.data(KIND_ROLE) == "folder":
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [SOURCES_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        items = sorted({(i.data(KIND_ROLE), int(i.data(ID_ROLE))) for i in indexes if i.isValid()})
        data = QMimeData()
        data.setData(SOURCES_MIME, QByteArray(";".join(f"{kind}:{item_id}" for kind, item_id in items).encode()))
        return data

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not data.hasFormat(SOURCES_MIME):
            return False
        items = []
        for part in bytes(data.data(SOURCES_MIME).data()).decode().split(";"):
            kind, _, item_id = part.partition(":")
            if kind in ("source", "folder") and item_id.isdigit():
                items.append((kind, int(item_id)))
        target = parent.siblingAtColumn(0) if parent.isValid() else None
        folder_id = int(target.data(ID_ROLE)) if target is not None and target.data(KIND_ROLE) == "folder" else None
        if items:
            self.move_requested.emit(items, folder_id)
        return False  # the tree is rebuilt from the project once the move is done

    def reload(self) -> None:
        self.removeRows(0, self.rowCount())
        folders = {f.id: f for f in self.project.folders()}
        items: dict[int | None, QStandardItem] = {None: self.invisibleRootItem()}

        def folder_item(folder_id: int | None) -> QStandardItem:
            if folder_id in items:
                return items[folder_id]
            folder = folders[folder_id]  # type: ignore[index]
            parent = folder_item(folder.parent_id)
            item = _item(folder.name, "folder", folder.id)
            parent.appendRow([item, _item("", "folder", folder.id)])
            items[folder_id] = item
            return item

        for folder_id in folders:
            folder_item(folder_id)
        counts = self.project.coding_counts_by_source()
        sources = self.project.sources()
        self.ranks = {source.id: rank for rank, source in enumerate(sources)}
        for source in sources:
            count = _item(str(counts.get(source.id, 0)), "source", source.id)
            count.setData(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                          Qt.ItemDataRole.TextAlignmentRole)
            folder_item(source.folder_id).appendRow([_item(source.name, "source", source.id), count])

    def update_all_counts(self) -> None:
        """Refresh every source's codings column in one walk (after codes were deleted or merged)."""
        counts = self.project.coding_counts_by_source()

        def walk(parent: QStandardItem) -> None:
            for row in range(parent.rowCount()):
                name, count = parent.child(row, 0), parent.child(row, 1)
                if name.data(KIND_ROLE) == "source":
                    text = str(counts.get(name.data(ID_ROLE), 0))
                    if count.text() != text:
                        count.setText(text)
                else:
                    walk(name)

        walk(self.invisibleRootItem())

    def update_counts(self, source_ids: tuple[int, ...]) -> None:
        """Refresh the codings column of a few sources, without rebuilding the tree."""
        counts = self.project.coding_counts_by_source(source_ids)
        for source_id in source_ids:
            index = find_index(self, "source", source_id, 1)
            if index.isValid():
                self.itemFromIndex(index).setText(str(counts.get(source_id, 0)))


CODES_MIME = "application/x-qcode-codes"


class CodebookModel(QStandardItemModel):
    """The code tree with colour swatches and excerpt counts (a code's count includes its sub-codes).

    Codes can be dragged within the tree. A drop changes nothing here: it emits `drop_requested`
    (code ids, new parent id or None, id of the sibling to go before or None, merge?), and the move or
    merge goes through the undo stack; the tree is rebuilt from the project afterwards.
    """

    drop_requested = Signal(object, object, object, bool)
    reloaded = Signal()

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._count_items: dict[int, QStandardItem] = {}
        self.coder_id: int | None = None  # count only this coder's codings (None: every coder's)
        self.merge_on_drop = False  # set by the view from the modifier keys of the drop
        self.quick_keys: dict[int, int] = {}  # code id -> the digit key that applies it
        self.setHorizontalHeaderLabels(["Code", "Excerpts"])
        self.reload()

    def set_quick_keys(self, keys: dict[int, int]) -> None:
        """Show each code's quick key on its colour swatch (the name stays the bare name)."""
        self.quick_keys = {code_id: digit for digit, code_id in keys.items()}
        colors = {c.id: c for c in self.project.codes()}

        def walk(parent: QStandardItem) -> None:
            for row in range(parent.rowCount()):
                item = parent.child(row, 0)
                code = colors.get(item.data(ID_ROLE))
                if code is not None:
                    self._decorate(item, code)
                walk(item)

        walk(self.invisibleRootItem())

    def _decorate(self, item: QStandardItem, code: Code) -> None:
        digit = self.quick_keys.get(code.id)
        item.setIcon(swatch(code.color) if digit is None else key_swatch(code.color, digit))
        tip = (f"Quick key {digit}\n\n" if digit is not None else "") + code.definition
        item.setToolTip(as_text(tip.strip()))

    def reload(self) -> None:
        self.removeRows(0, self.rowCount())
        totals = self._counts()
        items: dict[int | None, QStandardItem] = {None: self.invisibleRootItem()}
        for code in self.project.codes():
            item = _item(code.name, "code", code.id)
            self._decorate(item, code)
            count = _item(str(totals.get(code.id, 0)), "code", code.id)
            count.setData(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                          Qt.ItemDataRole.TextAlignmentRole)
            items[code.parent_id].appendRow([item, count])
            items[code.id] = item
        self._count_items = {}
        self._collect(self.invisibleRootItem())
        self.reloaded.emit()

    def _collect(self, parent: QStandardItem) -> None:
        for row in range(parent.rowCount()):
            name, count = parent.child(row, 0), parent.child(row, 1)
            self._count_items[name.data(ID_ROLE)] = count
            self._collect(name)

    def _counts(self) -> dict[int, int]:
        """Excerpts per code with its sub-codes' (one coder's only, when the filter is on)."""
        return self.project.excerpt_counts(None if self.coder_id is None else Filter(coders=(self.coder_id,)))

    def set_coder(self, coder_id: int | None) -> None:
        """Count only one coder's codings (None: every coder's); codes without any then show 0."""
        self.coder_id = coder_id
        self.update_counts()

    def update_counts(self) -> None:
        """Refresh the excerpt counts in place (after codings change; the tree itself is unchanged)."""
        counted = self._counts()
        for code_id, item in self._count_items.items():
            text = str(counted.get(code_id, 0))
            if item.text() != text:
                item.setText(text)

    # --- drag and drop -------------------------------------------------------------------------------

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.project.readonly:
            flags &= ~(Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled)
        return flags

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [CODES_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        ids: list[int] = []
        for index in indexes:
            code_id = index.data(ID_ROLE)
            if index.data(KIND_ROLE) == "code" and code_id not in ids:
                ids.append(int(code_id))
        data = QMimeData()
        data.setData(CODES_MIME, json.dumps(ids).encode())
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: QModelIndex | QPersistentModelIndex) -> bool:
        return data.hasFormat(CODES_MIME) and not self.project.readonly

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: QModelIndex | QPersistentModelIndex) -> bool:
        """Translate a drop into (codes, parent, before, merge) and request it; the model itself never changes."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        code_ids = [int(i) for i in json.loads(bytes(data.data(CODES_MIME).data()).decode() or "[]")]
        if not code_ids:
            return False
        parent_item = self.itemFromIndex(parent.siblingAtColumn(0)) if parent.isValid() else None
        parent_id = int(parent_item.data(ID_ROLE)) if parent_item is not None else None
        if row < 0:  # onto a code: nest (or merge); onto the empty area: top level, at the end
            self.drop_requested.emit(code_ids, parent_id, None, self.merge_on_drop and parent_id is not None)
            return False
        holder = parent_item or self.invisibleRootItem()
        before_id = None
        for below in range(row, holder.rowCount()):  # the first sibling below the gap that is not being moved
            candidate = int(holder.child(below, 0).data(ID_ROLE))
            if candidate not in code_ids:
                before_id = candidate
                break
        self.drop_requested.emit(code_ids, parent_id, before_id, False)
        return False  # the view must not remove the dragged rows: the tree is rebuilt from the project


def find_index(model: QStandardItemModel, kind: str, item_id: int, column: int = 0) -> QModelIndex:
    """The index of an item by its kind and id (invalid when absent)."""

    def walk(parent: QStandardItem) -> QModelIndex | None:
        for row in range(parent.rowCount()):
            child = parent.child(row, 0)
            if child.data(KIND_ROLE) == kind and child.data(ID_ROLE) == item_id:
                return child.index().siblingAtColumn(column)
            found = walk(child)
            if found is not None:
                return found
        return None

    return walk(model.invisibleRootItem()) or QModelIndex()
