"""Cases and their attributes as an editable table, with the sources of the chosen case below it.

Rows are cases; columns are the case name, its number of sources, then one column per case attribute.
Every edit is an undo command; the core checks each value against its attribute's type and a refused
value leaves everything as it was, with the core's message shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qcode.core.errors import QcodeError
from qcode.core.model import Attribute, Case
from qcode.core.project import Project
from qcode.gui.commands.base import CoreCommand, push
from qcode.gui.commands.cases import (
    AddAttribute,
    AddCaseMember,
    CreateCase,
    DeleteAttribute,
    DeleteCase,
    RemoveCaseMember,
    RenameAttribute,
    RenameCase,
    SetAttributeValue,
)
from qcode.gui.support.codebook_cache import CodebookCache
from qcode.gui.support.pending_edits import commit_open_editor
from qcode.gui.support.plain_text import as_text
from qcode.gui.views.case_widgets import ATTRIBUTE_ROLE, AttributeDialog, CaseMembersView, CellDelegate, button
from qcode.gui.views.segments_panel import SegmentsPanel

CASE_ROLE = Qt.ItemDataRole.UserRole + 20  # the case id, on every cell
SORT_ROLE = Qt.ItemDataRole.UserRole + 22
NAME_COLUMN, SOURCES_COLUMN, FIRST_ATTRIBUTE_COLUMN = 0, 1, 2
MIN_ROWS_SHOWN = 5
WIDE_PANEL = 1.6  # a panel this many times as wide as high shows the case's parts beside the cases

_ROOT = QModelIndex()
Editor = Callable[[int, int | None, object], bool]  # (case id, attribute id or None for the name, value)


def _shown(value: object) -> str:
    return "" if value is None else str(value)


def _type_hint(attribute: Attribute) -> str:
    if attribute.type == "choice" and attribute.choices:
        return f"{attribute.name}: one of {', '.join(attribute.choices)}"
    return f"{attribute.name} ({attribute.type})"


class CasesModel(QAbstractTableModel):
    """The cases table; edits go to `editor`, which pushes the undo command and says whether it was accepted."""

    def __init__(self, project: Project, editor: Editor, parent=None) -> None:
        super().__init__(parent)
        self.project = project
        self._editor = editor
        self.editing = False
        self.cases: list[Case] = []
        self.attributes: list[Attribute] = []
        self._values: dict[int, dict[str, object]] = {}
        self._sources: dict[int, list[str]] = {}

    def reload(self) -> None:
        self.beginResetModel()
        self.cases = self.project.cases()
        self.attributes = self.project.attributes("case")
        self._values = {c.id: dict(self.project.attribute_values("case", c.id)) for c in self.cases}
        names = {s.id: s.name for s in self.project.sources()}
        self._sources = {}
        for member in self.project.case_members():
            found = self._sources.setdefault(member.case_id, [])
            if names.get(member.source_id) not in found:
                found.append(names.get(member.source_id, "?"))
        self.endResetModel()

    def attribute_at(self, column: int) -> Attribute | None:
        index = column - FIRST_ATTRIBUTE_COLUMN
        return self.attributes[index] if 0 <= index < len(self.attributes) else None

    def row_of(self, case_id: int) -> int | None:
        return next((row for row, case in enumerate(self.cases) if case.id == case_id), None)

    def column_of(self, attribute_id: int) -> int | None:
        return next((FIRST_ATTRIBUTE_COLUMN + i for i, a in enumerate(self.attributes) if a.id == attribute_id), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.cases)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else FIRST_ATTRIBUTE_COLUMN + len(self.attributes)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        case, column = self.cases[index.row()], index.column()
        attribute = self.attribute_at(column)
        if role == CASE_ROLE:
            return case.id
        if role == ATTRIBUTE_ROLE:
            return attribute
        sources = self._sources.get(case.id, [])
        if column == NAME_COLUMN:
            value: object = case.name
        elif column == SOURCES_COLUMN:
            value = len(sources)
        else:
            value = self._values[case.id].get(attribute.name) if attribute else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return _shown(value)
        if role == SORT_ROLE:
            if column == SOURCES_COLUMN or (attribute is not None and attribute.type == "number"):
                return float("-inf") if value is None else float(value)  # type: ignore[arg-type]
            return _shown(value).casefold()
        if role == Qt.ItemDataRole.TextAlignmentRole and (
                column == SOURCES_COLUMN or (attribute is not None and attribute.type == "number")):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == SOURCES_COLUMN:
                return as_text("\n".join(sources) or "No sources yet")
            if attribute is not None:
                return as_text(_type_hint(attribute))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        attribute = self.attribute_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return attribute.name if attribute else ("Case", "Sources")[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            if attribute:
                return as_text(_type_hint(attribute) + "\nRight-click to rename or delete.")
            return ("The case's name", "How many sources are part of the case")[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() != SOURCES_COLUMN and not self.project.readonly:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.editing:
            return False
        if value == self.data(index, Qt.ItemDataRole.EditRole):
            return False
        case = self.cases[index.row()]
        attribute = self.attribute_at(index.column())
        self.editing = True
        try:
            accepted = self._editor(case.id, attribute.id if attribute else None, value)
        finally:
            self.editing = False
        if accepted:  # show the stored form at once (the window's refresh follows)
            if attribute is None:
                self.cases[index.row()] = self.project.case(case.id)
            else:
                self._values[case.id] = dict(self.project.attribute_values("case", case.id))
            self.dataChanged.emit(index, index)
        return accepted


class CasesTable(QWidget):
    """The cases and attributes editor: a table of cases, and the chosen case's sources and coded segments
    beside it (in a low panel) or below it."""

    case_selected = Signal(object)  # the current case's id, or None
    #: case id, and whether the selected passage (True) or the whole shown source (False) is to be added;
    #: the window does it (`assign_source`)
    assign_requested = Signal(int, bool)
    open_requested = Signal(int, int, int)  # source id, start, end (0, 0 for a whole source)
    memo_requested = Signal(int)  # case id: show (and focus) the case's memo

    def __init__(self, project: Project, undo_stack: QUndoStack, parent: QWidget | None = None, *,
                 codebook: CodebookCache | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self._current: int | None = None
        self.model = CasesModel(project, self._edit_cell, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setAccessibleName("Cases and attributes")
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(CellDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME_COLUMN, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self._fitted_for: tuple[str, ...] | None = None  # the columns the widths were fitted to
        self.table.horizontalHeader().setMinimumSectionSize(64)
        # columns fit the first rows' contents: measuring hundreds of cases would slow every refresh
        self.table.horizontalHeader().setResizeContentsPrecision(60)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.horizontalHeader().customContextMenuRequested.connect(self._header_menu)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        clear = QShortcut(QKeySequence.StandardKey.Delete, self.table, self._clear_current_value)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)  # the keyword argument is ignored: Delete went window-wide

        self.members = CaseMembersView(project)
        self.members.open_requested.connect(self.open_requested)
        self.members.assign_clicked.connect(self._request_assign)
        self.members.remove_requested.connect(self.remove_member)
        #: every coded segment inside the chosen case, with the shared filters (but the case's own)
        self.segments = SegmentsPanel(project, filter_kinds=("codes", "folders", "sources", "attributes", "coders"),
                                      hint="Choose a case to see its coded segments.", codebook=codebook)
        self.segments.open_requested.connect(self.open_requested)
        self.parts = QTabWidget()
        self.parts.setDocumentMode(True)
        self.parts.addTab(self.members, "Sources")
        self.parts.addTab(self.segments, "Coded segments")

        self.new_case_button = button("New case…", "New case", self.new_case)
        self.new_attribute_button = button("New attribute…", "New case attribute", self.add_attribute)
        self.delete_case_button = button("Delete case", "Delete the current case", self._delete_current)
        self.memo_button = button("Memo", "Show the memo of the current case", self._request_memo)
        self.memo_button.setToolTip("Write or read the memo of the current case (in the Memo panel)")
        tools = QHBoxLayout()
        for made in (self.new_case_button, self.new_attribute_button, self.delete_case_button, self.memo_button):
            tools.addWidget(made)
        tools.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.parts)
        self.table.setMinimumHeight(3 * self.fontMetrics().height())
        splitter.setCollapsible(0, False)
        splitter.setStretchFactor(0, 3)  # most of the room for the cases (a useful number of rows)
        splitter.setStretchFactor(1, 2)
        self.splitter = splitter
        self._divider_moved = False  # by the user: then the sizes change only with the arrangement
        self._arranging = False
        splitter.splitterMoved.connect(lambda *_: setattr(self, "_divider_moved", True))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(tools)  # above both, so the table beside the parts is as narrow as it may be
        layout.addWidget(splitter, 1)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._arrange_soon()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_soon()

    def _arrange_soon(self) -> None:
        """Arrange once the panel's size has settled (a dock passes through smaller sizes as it shows)."""
        if not self._arranging:
            self._arranging = True
            QTimer.singleShot(0, self, self._arrange)

    def _arrange(self) -> None:
        """The chosen case's parts go beside the cases in a low, wide panel (a bottom dock) and below them in a
        tall one, so that `MIN_ROWS_SHOWN` cases show either way. Once the user drags the divider, the sizes
        change only when the arrangement does."""
        self._arranging = False
        if not self.isVisible() or self.splitter.width() <= 0 or self.splitter.height() <= 0:
            return
        handle = self.splitter.handleWidth()
        beside = self.splitter.width() - handle - self.parts.minimumSizeHint().width()
        wide = self.width() >= WIDE_PANEL * self.height() and beside >= self._table_width_beside()
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if orientation == self.splitter.orientation() and self._divider_moved:
            return
        self._divider_moved = False
        self.splitter.setOrientation(orientation)
        if wide:
            total = self.splitter.width() - handle
            parts = max(self.parts.minimumSizeHint().width(), int(total * 0.42))
            table_part = max(total - parts, self.table.minimumSizeHint().width())
        else:
            total = self.splitter.height() - handle
            wanted = (self.table.horizontalHeader().sizeHint().height()
                      + self.table.horizontalScrollBar().sizeHint().height()
                      + MIN_ROWS_SHOWN * self.table.verticalHeader().defaultSectionSize() + 2 * self.table.frameWidth())
            table_part = max(wanted, int(total * 0.55))
            if total - table_part < self.parts.minimumSizeHint().height():
                table_part = total  # a cramped panel shows the cases; the divider at its foot brings the parts
        self.splitter.setSizes([table_part, max(total - table_part, 0)])

    def _table_width_beside(self) -> int:
        """The least width the table gets beside the case's parts: the name and two more columns."""
        return 3 * self.table.horizontalHeader().minimumSectionSize() + 16 * self.fontMetrics().averageCharWidth()

    def commit_pending(self) -> None:
        """Store a cell being edited now (before the window closes)."""
        if self.project.is_open:
            commit_open_editor(self.table)

    # --- showing -----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload from the project, keeping the current case and column (deferred while a cell is committed)."""
        if not self.project.is_open:  # a deferred refresh after the window closed
            return
        if self.model.editing:
            QTimer.singleShot(0, self.refresh)
            return
        column = max(self.table.currentIndex().column(), 0)
        keep = self._current
        self.model.reload()
        columns = tuple(str(self.model.headerData(c, Qt.Orientation.Horizontal)) for c in range(self.model.columnCount()))
        if columns != self._fitted_for:  # fitted when the columns change, not after every edit (no jumping)
            self._fitted_for = columns
            self.table.resizeColumnsToContents()
        if keep is not None and self.model.row_of(keep) is not None:
            self.select_case(keep, min(column, self.model.columnCount() - 1))
        else:
            self._set_current(None)
        self._update_buttons()

    def current_case_id(self) -> int | None:
        return self._current

    def select_case(self, case_id: int, column: int = NAME_COLUMN) -> None:
        row = self.model.row_of(case_id)
        if row is not None:
            self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, column)))
        self._set_current(case_id if row is not None else None)

    def index_of(self, case_id: int, attribute_id: int | None = None) -> QModelIndex:
        """The table (proxy) index of a case's name, or of its value of an attribute."""
        row = self.model.row_of(case_id)
        column = NAME_COLUMN if attribute_id is None else self.model.column_of(attribute_id)
        if row is None or column is None:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, column))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._set_current(int(current.data(CASE_ROLE)) if current.isValid() else None)

    def _set_current(self, case_id: int | None) -> None:
        if case_id != self._current:
            self._current = case_id
            self._update_buttons()
            self.case_selected.emit(case_id)

    def _update_buttons(self) -> None:
        writable = not self.project.readonly
        has_case = self._current is not None
        self.new_case_button.setEnabled(writable)
        self.new_attribute_button.setEnabled(writable)
        self.delete_case_button.setEnabled(writable and has_case)
        self.memo_button.setEnabled(has_case)
        self.members.show_case(self._current, any_cases=bool(self.model.cases), writable=writable)
        if self.segments.case_ids != ((self._current,) if self._current is not None else ()):
            self.segments.show_case(self._current)

    # --- changing (each through an undo command) ----------------------------------------------------------

    def _push(self, command: CoreCommand | None, *, deferred: bool = False) -> bool:
        try:
            if command is None:
                return False
            push(self.undo_stack, command)
        except QcodeError as err:
            message = err.message
            if deferred:  # let the cell editor close before a message takes the focus
                QTimer.singleShot(0, lambda: QMessageBox.warning(self, "Cases", as_text(message)))
            else:
                QMessageBox.warning(self, "Cases", as_text(message))
            return False
        return True

    def new_case(self, name: str | None = None) -> int | None:
        """Create a case (asking for its name when not given); returns its id."""
        if name is None:
            name, ok = QInputDialog.getText(self, "New case", "Name of the new case:")
            if not ok or not name.strip():
                return None
        command = CreateCase(self.project, name)
        if not self._push(command):
            return None
        self.refresh()
        if command.case_id is not None:
            self.select_case(command.case_id)
        return command.case_id

    def rename_case(self, case_id: int, name: str | None = None) -> bool:
        if name is None:
            name, ok = QInputDialog.getText(self, "Rename case", "New name:", text=self.project.case(case_id).name)
            if not ok:
                return False
        return self._push(RenameCase(self.project, case_id, name))

    def delete_case(self, case_id: int) -> bool:
        """Delete a case with its memberships, values and memo (undo brings them all back)."""
        return self._push(DeleteCase(self.project, case_id))

    def set_value(self, case_id: int, attribute_id: int, value: object, *, deferred: bool = False) -> bool:
        """Set a case's value of an attribute (None or '' clears it); a refused value shows why."""
        label = f"case '{self.project.case(case_id).name}'"
        return self._push(SetAttributeValue(self.project, attribute_id, case_id, value, label), deferred=deferred)

    def add_attribute(self, name: str | None = None, type_: str = "text", choices: tuple[str, ...] = ()) -> int | None:
        """Add a case attribute (asking for name, type and choices when no name is given); returns its id."""
        if name is None:
            dialog = AttributeDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            name, type_, choices = dialog.values()
        command = AddAttribute(self.project, name, type_, choices)
        return command.attribute_id if self._push(command) else None

    def rename_attribute(self, attribute_id: int, name: str | None = None) -> bool:
        if name is None:
            old = self.project.attribute(attribute_id).name
            name, ok = QInputDialog.getText(self, "Rename attribute", "New name:", text=old)
            if not ok:
                return False
        return self._push(RenameAttribute(self.project, attribute_id, name))

    def delete_attribute(self, attribute_id: int) -> bool:
        """Delete an attribute with all its values (undo brings them back)."""
        return self._push(DeleteAttribute(self.project, attribute_id))

    def assign_source(self, case_id: int, source_id: int, start: int | None = None, end: int | None = None) -> bool:
        """Make a whole source (start and end None) or a range of it part of a case."""
        return self._push(AddCaseMember(self.project, case_id, source_id, start, end))

    def remove_member(self, member_id: int) -> bool:
        member = next((m for m in self.project.case_members() if m.id == member_id), None)
        return self._push(RemoveCaseMember(self.project, member) if member else None)

    def _edit_cell(self, case_id: int, attribute_id: int | None, value: object) -> bool:
        if attribute_id is None:
            return self._push(RenameCase(self.project, case_id, str(value)), deferred=True)
        return self.set_value(case_id, attribute_id, value, deferred=True)

    def _clear_current_value(self) -> None:
        index = self.table.currentIndex()
        attribute = index.data(ATTRIBUTE_ROLE) if index.isValid() else None
        if attribute is not None and index.data(Qt.ItemDataRole.EditRole) and not self.project.readonly:
            self.set_value(int(index.data(CASE_ROLE)), attribute.id, None)

    def _delete_current(self) -> None:
        if self._current is not None:
            self.delete_case(self._current)

    def _request_memo(self) -> None:
        if self._current is not None:
            self.memo_requested.emit(self._current)

    def _request_assign(self, passage: bool) -> None:
        if self._current is not None:
            self.assign_requested.emit(self._current, passage)

    # --- menus ---------------------------------------------------------------------------------------------

    def _attribute_actions(self, menu: QMenu, attribute: Attribute) -> None:
        menu.addAction(f"Rename attribute '{attribute.name}'…", lambda: self.rename_attribute(attribute.id))
        menu.addAction(f"Delete attribute '{attribute.name}' with its values",
                       lambda: self.delete_attribute(attribute.id))

    def _header_menu(self, position) -> None:
        if self.project.readonly:
            return
        attribute = self.model.attribute_at(self.table.horizontalHeader().logicalIndexAt(position))
        menu = QMenu(self)
        menu.addAction("New attribute…", lambda: self.add_attribute())
        if attribute is not None:
            self._attribute_actions(menu, attribute)
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    def _table_menu(self, position) -> None:
        if self.project.readonly:
            return
        index = self.table.indexAt(position)
        menu = QMenu(self)
        menu.addAction("New case…", lambda: self.new_case())
        menu.addAction("New attribute…", lambda: self.add_attribute())
        if index.isValid():
            case_id = int(index.data(CASE_ROLE))
            name = self.project.case(case_id).name
            menu.addSeparator()
            menu.addAction(f"Add this source to '{name}'", lambda: self.assign_requested.emit(case_id, False))
            menu.addAction(f"Add the selected passage to '{name}'",
                           lambda: self.assign_requested.emit(case_id, True)).setEnabled(self.members.has_selection)
            menu.addAction(f"Rename case '{name}'…", lambda: self.rename_case(case_id))
            menu.addAction(f"Delete case '{name}'", lambda: self.delete_case(case_id))
            attribute = index.data(ATTRIBUTE_ROLE)
            if attribute is not None:
                menu.addSeparator()
                self._attribute_actions(menu, attribute)
        menu.exec(self.table.viewport().mapToGlobal(position))
