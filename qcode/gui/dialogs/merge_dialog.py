"""Choose the code that one or more codes are merged into."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from qcode.core.project import Project
from qcode.gui.models.project_trees import swatch


class MergeDialog(QDialog):
    """A filterable code tree; the codes being merged and their sub-codes cannot be chosen."""

    def __init__(self, project: Project, code_ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge codes")
        self.code_ids = list(code_ids)
        names = [project.code(c).name for c in code_ids]
        what = f"'{names[0]}'" if len(names) == 1 else f"{len(names)} codes ({', '.join(names)})"
        intro = QLabel(
            f"Merge {what} into the code chosen below. Their codings move to it (a passage it already has "
            "from the same coder is kept once), their sub-codes move under it, and their memos are added to "
            "its memo. Edit > Undo brings them back."
        )
        intro.setWordWrap(True)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter codes…")
        self.filter.setAccessibleName("Filter codes")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Code to merge into")
        excluded = set(project.descendants(code_ids[0])) if code_ids else set()
        for code_id in code_ids[1:]:
            excluded |= set(project.descendants(code_id))
        items: dict[int | None, QTreeWidgetItem] = {}
        for code in project.codes():
            item = QTreeWidgetItem([code.name])
            item.setIcon(0, swatch(code.color))
            item.setData(0, Qt.ItemDataRole.UserRole, code.id)
            if code.id in excluded:  # a code cannot be merged into itself or one of its own sub-codes
                item.setFlags(item.flags() & ~(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled))
            parent = items.get(code.parent_id)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[code.id] = item
        self.tree.expandAll()
        self.tree.itemDoubleClicked.connect(lambda item, _col: self.accept() if self.chosen_code_id() else None)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Merge")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.tree.currentItemChanged.connect(self._update_button)
        layout = QVBoxLayout(self)
        for widget in (intro, self.filter, self.tree, self.buttons):
            layout.addWidget(widget)
        self.resize(420, 480)

    def _update_button(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.chosen_code_id() is not None)

    def chosen_code_id(self) -> int | None:
        """The chosen target, or None while no code that can take the merge is chosen."""
        item = self.tree.currentItem()
        if item is None or item.isHidden() or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return int(item.data(0, Qt.ItemDataRole.UserRole))

    def choose(self, code_id: int) -> None:
        """Make a code the current choice (keyboard users and tests)."""
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            item = iterator.value()
            if item.data(0, Qt.ItemDataRole.UserRole) == code_id:
                self.tree.setCurrentItem(item)
                return
            iterator += 1

    def _filter(self, text: str) -> None:
        text = text.strip().casefold()

        def walk(item: QTreeWidgetItem) -> bool:
            below = False
            for i in range(item.childCount()):
                below = walk(item.child(i)) or below
            shown = not text or below or text in item.text(0).casefold()
            item.setHidden(not shown)
            return shown

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i))
        current = self.tree.currentItem()
        if text and (current is None or current.isHidden() or text not in current.text(0).casefold()):
            iterator = QTreeWidgetItemIterator(self.tree)  # typing then Enter merges into the first match
            while iterator.value():
                item = iterator.value()
                if not item.isHidden() and item.flags() & Qt.ItemFlag.ItemIsEnabled and text in item.text(0).casefold():
                    self.tree.setCurrentItem(item)
                    break
                iterator += 1
        self._update_button()
