"""Tree models of the project's sources (in folders) and of the codebook (with counts)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap, QStandardItem, QStandardItemModel

from qcode.core.project import Project

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2


def swatch(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


def _item(text: str, kind: str, item_id: int) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(item_id, ID_ROLE)
    item.setData(kind, KIND_ROLE)
    return item


class SourcesModel(QStandardItemModel):
    """Folders and sources, with each source's number of codings."""

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        #: each source's place in the core's listing order (the order of excerpt lists)
        self.ranks: dict[int, int] = {}
        self.setHorizontalHeaderLabels(["Source", "Codings"])
        self.reload()

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


    def update_counts(self, source_ids: tuple[int, ...]) -> None:
        """Refresh the codings column of a few sources, without rebuilding the tree."""
        counts = self.project.coding_counts_by_source(source_ids)
        for source_id in source_ids:
            index = find_index(self, "source", source_id, 1)
            if index.isValid():
                self.itemFromIndex(index).setText(str(counts.get(source_id, 0)))


class CodebookModel(QStandardItemModel):
    """The code tree with colour swatches and excerpt counts (a code's count includes its sub-codes)."""

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._count_items: dict[int, QStandardItem] = {}
        self.setHorizontalHeaderLabels(["Code", "Excerpts"])
        self.reload()

    def reload(self) -> None:
        self.removeRows(0, self.rowCount())
        totals = {row.code_id: row.total.excerpts for row in self.project.frequencies()}
        items: dict[int | None, QStandardItem] = {None: self.invisibleRootItem()}
        for code in self.project.codes():
            item = _item(code.name, "code", code.id)
            item.setIcon(swatch(code.color))
            if code.definition:
                item.setToolTip(code.definition)
            count = _item(str(totals.get(code.id, 0)), "code", code.id)
            count.setData(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                          Qt.ItemDataRole.TextAlignmentRole)
            items[code.parent_id].appendRow([item, count])
            items[code.id] = item
        self._count_items = {}
        self._collect(self.invisibleRootItem())

    def _collect(self, parent: QStandardItem) -> None:
        for row in range(parent.rowCount()):
            name, count = parent.child(row, 0), parent.child(row, 1)
            self._count_items[name.data(ID_ROLE)] = count
            self._collect(name)

    def update_counts(self) -> None:
        """Refresh the excerpt counts in place (after codings change; the tree itself is unchanged)."""
        for row in self.project.frequencies():
            item = self._count_items.get(row.code_id)
            if item is not None and item.text() != str(row.total.excerpts):
                item.setText(str(row.total.excerpts))


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
