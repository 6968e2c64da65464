"""The Sources panel: a filter box over the tree of folders and sources, and what can be done to them.

Create, rename, move (menu or drag) and delete folders and sources, edit a source's attributes, and
import into a folder; each change is one undo command, and a change the core refuses shows its message.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qcode.core.project import Project
from qcode.gui.commands.base import Batch, CoreCommand, push_or_warn
from qcode.gui.commands.sources import (
    CreateFolder,
    DeleteFolder,
    DeleteSources,
    MoveFolder,
    MoveSources,
    RenameFolder,
    RenameSource,
)
from qcode.gui.models.project_trees import ID_ROLE, KIND_ROLE, SourcesModel
from qcode.gui.views.source_attributes import SourceAttributesDialog
from qcode.gui.views.trees import setup_count_tree

TOP_LEVEL = "(top level)"


class SourcesPanel(QWidget):
    source_activated = Signal(QModelIndex)
    import_requested = Signal(object)  # target folder id or None

    def __init__(self, project: Project, model: SourcesModel, undo_stack: QUndoStack) -> None:
        super().__init__()
        self.project = project
        self.model = model
        self.undo_stack = undo_stack
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter sources")
        self.filter.setAccessibleName("Filter sources")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.apply_filter)
        self.view = QTreeView()
        setup_count_tree(self.view, "Sources", model)
        if not project.readonly:
            self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
            self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
            self.view.setDropIndicatorShown(True)
        self.view.expandAll()
        self.view.clicked.connect(self.source_activated)
        self.view.activated.connect(self.source_activated)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        model.move_requested.connect(self.move_items)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)

    # --- filtering ---------------------------------------------------------------------------------------

    def apply_filter(self, text: str | None = None) -> None:
        """Show the sources whose names hold the text (any case), with the folders that lead to them."""
        needle = (self.filter.text() if text is None else text).casefold().strip()

        def visit(item: QStandardItem) -> bool:
            shown_any = False
            for row in range(item.rowCount()):
                child = item.child(row, 0)
                if child.data(KIND_ROLE) == "folder":
                    shown = visit(child) or (bool(needle) and needle in child.text().casefold())
                    if shown and needle and needle in child.text().casefold():
                        self._show_all(child)
                else:
                    shown = not needle or needle in child.text().casefold()
                self.view.setRowHidden(row, item.index(), not shown)
                shown_any = shown_any or shown
            return shown_any

        visit(self.model.invisibleRootItem())
        if needle:
            self.view.expandAll()

    def _show_all(self, item: QStandardItem) -> None:
        for row in range(item.rowCount()):
            self.view.setRowHidden(row, item.index(), False)
            self._show_all(item.child(row, 0))

    # --- selection ---------------------------------------------------------------------------------------

    def selected(self) -> list[tuple[str, int]]:
        rows = self.view.selectionModel().selectedRows(0)
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().siblingAtColumn(0)]
        return [(i.data(KIND_ROLE), int(i.data(ID_ROLE))) for i in rows]

    # --- actions -----------------------------------------------------------------------------------------

    def _menu(self, position) -> None:
        if self.project.readonly:
            return
        index = self.view.indexAt(position)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.setCurrentIndex(index)
        items = self.selected() if index.isValid() else []
        folder_here = next((item_id for kind, item_id in items if kind == "folder"), None) if len(items) == 1 else None
        menu = QMenu(self)
        menu.addAction("New folder…", lambda: self.new_folder(folder_here))
        menu.addAction("Import files here…" if folder_here is not None else "Import files…",
                       lambda: self.import_requested.emit(folder_here))
        if items:
            menu.addSeparator()
            if len(items) == 1:
                menu.addAction("Rename…", lambda: self.rename(*items[0]))
            menu.addAction("Move to folder…", lambda: self.move_dialog(items))
            if len(items) == 1 and items[0][0] == "source":
                menu.addAction("Attributes…", lambda: self.edit_attributes(items[0][1]))
            menu.addSeparator()
            menu.addAction("Delete…", lambda: self.delete(items))
        menu.exec(self.view.viewport().mapToGlobal(position))
        menu.deleteLater()

    def new_folder(self, parent_id: int | None, name: str | None = None) -> bool:
        if name is None:
            name, ok = QInputDialog.getText(self, "New folder", "Name of the new folder:")
            if not ok or not name.strip():
                return False
        return self._push(CreateFolder(self.project, name, parent_id))

    def rename(self, kind: str, item_id: int, name: str | None = None) -> bool:
        old = self.project.folder(item_id).name if kind == "folder" else self.project.source(item_id).name
        if name is None:
            name, ok = QInputDialog.getText(self, f"Rename {kind}", "New name:", text=old)
            if not ok or not name.strip():
                return False
        if name == old:  # nothing to do, and no empty undo step
            return False
        command = RenameFolder(self.project, item_id, name) if kind == "folder" else \
            RenameSource(self.project, item_id, name)
        return self._push(command)

    def move_dialog(self, items: list[tuple[str, int]]) -> bool:
        choices = [TOP_LEVEL] + [self.project.folder_path(f.id) for f in self.project.folders()]
        ids: list[int | None] = [None] + [f.id for f in self.project.folders()]
        chosen, ok = QInputDialog.getItem(self, "Move to folder", "Move to:", choices, 0, False)
        if not ok:
            return False
        return self.move_items(items, ids[choices.index(chosen)])

    def move_items(self, items: list[tuple[str, int]], folder_id: int | None) -> bool:
        """Move sources and folders into a folder as one undo step (from the menu or a drop)."""
        sources = [item_id for kind, item_id in items if kind == "source"
                   and self.project.source(item_id).folder_id != folder_id]
        folders = [item_id for kind, item_id in items if kind == "folder" and item_id != folder_id
                   and self.project.folder(item_id).parent_id != folder_id]
        commands: list[CoreCommand] = [MoveFolder(self.project, f, folder_id) for f in folders]
        if sources:
            commands.append(MoveSources(self.project, sources, folder_id))
        if not commands:
            return False
        if len(commands) == 1:
            return self._push(commands[0])
        return self._push(Batch("Move sources and folders", commands))

    def delete(self, items: list[tuple[str, int]], *, confirm: bool = True) -> bool:
        sources = [item_id for kind, item_id in items if kind == "source"]
        folders = [item_id for kind, item_id in items if kind == "folder"]
        if confirm:
            codings = sum(self.project.coding_counts_by_source(tuple(sources)).values()) if sources else 0
            what = ", ".join(filter(None, [
                f"{len(sources)} source{'s' if len(sources) != 1 else ''}" if sources else "",
                f"{len(folders)} folder{'s' if len(folders) != 1 else ''} with everything in them" if folders else "",
            ]))
            extra = f" and their {codings} codings" if codings else ""
            answer = QMessageBox.question(self, "Delete", f"Delete {what}{extra}? You can undo this with Ctrl+Z.")
            if answer not in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok):
                return False
        # a source inside a folder being deleted goes with the folder
        doomed_folders = set(folders)
        sources = [s for s in sources if not self._inside(self.project.source(s).folder_id, doomed_folders)]
        commands: list[CoreCommand] = [DeleteFolder(self.project, f) for f in folders
                                       if not self._inside(self.project.folder(f).parent_id, doomed_folders)]
        if sources:
            commands.append(DeleteSources(self.project, sources))
        if len(commands) == 1:
            return self._push(commands[0])
        return self._push(Batch("Delete sources and folders", commands))

    def _inside(self, folder_id: int | None, folders: set[int]) -> bool:
        while folder_id is not None:
            if folder_id in folders:
                return True
            folder_id = self.project.folder(folder_id).parent_id
        return False

    def edit_attributes(self, source_id: int) -> None:
        dialog = SourceAttributesDialog(self.project, source_id, self.undo_stack, self)
        dialog.open()

    def _push(self, command: CoreCommand) -> bool:
        return push_or_warn(self.undo_stack, command, self)
