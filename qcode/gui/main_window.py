"""The main window: docks, menus and wiring; the work is done by the core and the undo commands."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from qcode.core.model import Coder, Filter
from qcode.core.project import Change, Project
from qcode.gui.actions.analysis import AnalysisActions
from qcode.gui.actions.cases import CaseActions
from qcode.gui.actions.codebook import CodebookActions
from qcode.gui.actions.coders import CoderControls
from qcode.gui.actions.coding import CodingActions
from qcode.gui.actions.document import DocumentActions
from qcode.gui.actions.exchange import ExchangeFlow
from qcode.gui.actions.imports import ImportFlow
from qcode.gui.actions.team import TeamActions
from qcode.gui.commands.base import CoreCommand, push_or_warn
from qcode.gui.commands.codings import RemoveCoding
from qcode.gui.dialogs.autocode_dialog import AutocodeDialog
from qcode.gui.dialogs.export_dialog import ExportDialog
from qcode.gui.dialogs.help_pages import GettingStartedDialog, add_help_menu
from qcode.gui.dock_layout import DockLayout
from qcode.gui.lifecycle import AppSession
from qcode.gui.models.project_trees import ID_ROLE, KIND_ROLE, CodebookModel, SourcesModel, find_index
from qcode.gui.support.codebook_cache import CodebookCache
from qcode.gui.support.pending_edits import close_windows_and_timers, save_pending_in_windows
from qcode.gui.support.view_options import ViewOptions
from qcode.gui.support.workers import ProjectSignals
from qcode.gui.toolbar import build_toolbar, project_label
from qcode.gui.views.cases_table import CasesTable
from qcode.gui.views.codebook_panel import CodebookPanel
from qcode.gui.views.document_view import DocumentView
from qcode.gui.views.find_bar import FindBar
from qcode.gui.views.memo_panel import MemoPanel
from qcode.gui.views.search_panel import SearchPanel
from qcode.gui.views.segments_panel import SegmentsPanel
from qcode.gui.views.sources_panel import SourcesPanel


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, project: Project, settings: QSettings | None = None, *, session: AppSession | None = None) -> None:
        super().__init__()
        self.project = project
        # first of the window's listeners, so that it forgets the codes before any panel reacts to a change
        self.codebook = CodebookCache(project)
        self.settings = settings
        self.session = session
        self.undo_stack = QUndoStack(self)
        self.setObjectName("MainWindow")

        self.document = DocumentView()
        self.find_bar = FindBar(self.document)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.document)
        centre_layout.addWidget(self.find_bar)
        self.setCentralWidget(centre)
        if settings is not None and settings.value("view/font-size"):
            self.document.set_point_size(int(settings.value("view/font-size")))
        self.document.zoom_changed.connect(
            lambda size: self.settings.setValue("view/font-size", size) if self.settings is not None else None)

        self.sources_model = SourcesModel(project, self)
        self.sources_panel = SourcesPanel(project, self.sources_model, self.undo_stack)
        self.sources_view = self.sources_panel.view
        self.sources_panel.source_activated.connect(self._source_clicked)
        self.sources_panel.import_requested.connect(lambda folder_id: self.import_flow.choose_files(folder_id))
        sources_dock = self._dock("Sources", self.sources_panel, Qt.DockWidgetArea.LeftDockWidgetArea)

        self.codebook_model = CodebookModel(project, self)
        self.codebook_panel = CodebookPanel(project, self.codebook_model, self.undo_stack)
        self.codebook_view = self.codebook_panel.tree
        self.codebook_view.code_chosen.connect(self._code_chosen)
        self._reloading_codes = False
        self._segments_refresh = QTimer(self)
        self._segments_refresh.setSingleShot(True)
        self._segments_refresh.setInterval(0)
        codebook_dock = self._dock("Codebook", self.codebook_panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)  # room for the form
        self.resizeDocks([sources_dock, codebook_dock], [280, 360], Qt.Orientation.Horizontal)
        self.codebook_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.codebook_view.selectionModel().currentChanged.connect(self._code_selected)
        self.codebook_view.selectionModel().selectionChanged.connect(lambda *_: self._show_selected_segments())

        self.segments = SegmentsPanel(project, codebook=self.codebook)
        self.segments.source_ranks = lambda: self.sources_model.ranks
        self.segments.open_requested.connect(self.open_excerpt)
        self.segments.remove_requested.connect(self.remove_coding)
        self._segments_refresh.timeout.connect(self.segments.refresh)
        segments_dock = self._dock("Coded segments", self.segments, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.memo_panel = MemoPanel(project, self.undo_stack)
        memo_dock = self._dock("Memo", self.memo_panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.search_panel = SearchPanel(project)
        self.search_panel.open_requested.connect(self.open_excerpt)
        self.search_dock = self._dock("Search", self.search_panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.tabifyDockWidget(sources_dock, self.search_dock)
        sources_dock.raise_()
        self.cases_table = CasesTable(project, self.undo_stack, codebook=self.codebook)
        self.case_actions = CaseActions(self)
        self.cases_table.segments.source_ranks = lambda: self.sources_model.ranks
        self._segments_refresh.timeout.connect(self.cases_table.segments.refresh)
        self.cases_dock = self._dock("Cases", self.cases_table, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(segments_dock, self.cases_dock)
        segments_dock.raise_()
        self.resizeDocks([segments_dock, memo_dock], [170, 170], Qt.Orientation.Vertical)
        self.document.extend_menu = self._document_menu
        self.document.selectionChanged.connect(
            lambda: self.cases_table.members.set_has_selection(self.document.textCursor().hasSelection()))
        self.coding = CodingActions(self, project, self.document, self.undo_stack, settings,
                                    lambda text: self.statusBar().showMessage(text, 5000))
        self.document_actions = DocumentActions(self, project, self.document, self.undo_stack,
                                                lambda text: self.statusBar().showMessage(text, 8000))
        self.codebook_model.set_quick_keys(self.coding.quick_keys)
        self.coding.quick_keys_changed.connect(self.codebook_model.set_quick_keys)
        self.coders = CoderControls(self, project, settings, lambda text: self.statusBar().showMessage(text, 5000))
        self.coders.coder_changed.connect(self._coder_switched)
        self.coders.filter_changed.connect(self._coder_filter_changed)
        self.search_panel.code_all_requested.connect(lambda _query: self.code_all_search_hits())
        self.find_bar.code_all_requested.connect(
            lambda text, case: self.open_autocode("text", text, case_sensitive=case, scope="source"))
        self.codebook_actions = CodebookActions(self, project, self.codebook_panel, self.undo_stack,
                                                lambda text: self.statusBar().showMessage(text, 8000),
                                                assign_quick_key=self.coding.assign_quick_key)
        if not project.readonly:  # dragging the selected text onto a code applies it
            self.codebook_view.text_source = self.document
            self.codebook_view.text_dropped.connect(self.coding.apply_code, Qt.ConnectionType.QueuedConnection)

        self._build_menus()
        self.toolbar = build_toolbar(self)
        self.project_label = project_label(self)
        self.coder_label = QLabel()
        self.coder_label.setToolTip("Who new codings and memos belong to: click (or Code > Switch coder) to "
                                    "change it; View > Show codings of shows one coder's codings")
        self.statusBar().addPermanentWidget(self.coder_label)
        self.coders.attach_label(self.coder_label)
        self._update_title()
        self.signals = ProjectSignals(project, self)
        self.signals.changed.connect(self._project_changed)
        self.import_flow = ImportFlow(self, project, self.undo_stack, settings=settings)
        self.analysis = AnalysisActions(self)  # the Analyse menu's views first, then team work's entries
        self.team = TeamActions(self, project, self.undo_stack)
        self.setAcceptDrops(not project.readonly)
        self.dock_layout = DockLayout(self)
        self._restore_layout()
        self._show_first_source()
        if session is not None and not project.readonly and not project.sources() and not project.codes():
            QTimer.singleShot(0, lambda: GettingStartedDialog(self).show())  # a new, empty project; not modal

    # --- building ------------------------------------------------------------------------------------

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        if self.session is not None:
            session = self.session
            for label, slot, shortcut in (("&New project…", lambda: session.new_dialog(self), QKeySequence.StandardKey.New),
                                          ("&Open project…", lambda: session.open_dialog(self), QKeySequence.StandardKey.Open)):
                action = QAction(label, self)
                action.triggered.connect(slot)
                action.setShortcut(QKeySequence(shortcut))
                file_menu.addAction(action)
            recent = file_menu.addMenu("Open &recent")
            recent.aboutToShow.connect(lambda: self._fill_recent(recent))
            file_menu.addAction("Save a &copy…", lambda: session.save_copy_dialog(self.project, self))
            file_menu.addAction("Restore a &backup…", lambda: session.restore_backup_dialog(self.project.path, self))
            file_menu.addSeparator()
        for label, slot, shortcut in (("&Import files…", self.import_flow_files, "Ctrl+I"),
                                      ("Import a &folder…", self.import_flow_folder, None),
                                      ("&Export…", self.open_export_dialog, "Ctrl+E")):
            action = QAction(label, self)
            action.triggered.connect(slot)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setEnabled(label.startswith("&Export") or not self.project.readonly)
            file_menu.addAction(action)
        file_menu.addAction("&Name register…", self.open_names_dialog)
        file_menu.addSeparator()
        self.exchange_flow = ExchangeFlow(self, self.project, self.undo_stack, self.session)
        self.exchange_flow.add_actions(file_menu)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))  # the standard key is unbound on Windows
        quit_action.triggered.connect(self.quit_all)
        file_menu.addAction(quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence("Ctrl+Shift+Z"))
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        for label, slot, shortcut in (("&Find in document…", self.find_bar.open, QKeySequence.StandardKey.Find),
                                      ("Find &next", self.find_bar.find_next, QKeySequence.StandardKey.FindNext),
                                      ("Find &previous", self.find_bar.find_previous,
                                       QKeySequence.StandardKey.FindPrevious),
                                      ("&Search the project…", self.show_search, QKeySequence("Ctrl+Shift+F"))):
            action = QAction(label, self)
            action.triggered.connect(slot)
            action.setShortcut(QKeySequence(shortcut))
            edit_menu.addAction(action)
        view_menu = self.menuBar().addMenu("&View")
        for label, slot, shortcut in (("Zoom &in", self.document.zoom_in, QKeySequence.StandardKey.ZoomIn),
                                      ("Zoom &out", self.document.zoom_out, QKeySequence.StandardKey.ZoomOut),
                                      ("&Actual size", self.document.zoom_reset, QKeySequence("Ctrl+0"))):
            action = QAction(label, self)
            action.triggered.connect(slot)
            action.setShortcut(QKeySequence(shortcut))
            view_menu.addAction(action)
        view_menu.addSeparator()
        for dock in self.findChildren(QDockWidget):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        self.view_options = ViewOptions(self, view_menu, self.settings, [
            ("&Sources", lambda: self.sources_view), ("&Document", lambda: self.document),
            ("&Codebook", lambda: self.codebook_view), ("Coded s&egments", lambda: self.segments),
            ("&Memo", lambda: self.memo_panel.editor), ("C&ases", lambda: self.cases_table),
            ("Searc&h", lambda: self.search_panel.query),
        ])
        code_menu = self.menuBar().addMenu("&Code")
        for label, slot, shortcut in (("&Quick code…", lambda: self.coding.open_quick_code_box(), "Ctrl+K"),
                                      ("Code &in vivo", lambda: self.coding.code_in_vivo(), "Ctrl+Shift+I")):
            action = QAction(label, self)
            action.triggered.connect(slot)
            action.setShortcut(QKeySequence(shortcut))
            action.setEnabled(not self.project.readonly)
            code_menu.addAction(action)
        self._add_autocode_and_coder_menus(code_menu, view_menu)
        session = self.session  # Help comes last, as everywhere
        help_menu = add_help_menu(self, (lambda: session.open_demo(self)) if session is not None else None)
        if session is not None:
            help_menu.addAction("&About qcode", self.show_about)

    def open_names_dialog(self) -> None:
        """File > Name register: the names pseudonymised exports replace, with suggestions."""
        from qcode.gui.dialogs.names_dialog import NamesDialog

        NamesDialog(self.project, self.undo_stack, self).open()

    def show_about(self) -> None:
        """Help > About qcode: the version and the licences of qcode and what it runs on."""
        from qcode.gui.dialogs.about_dialog import AboutDialog

        AboutDialog(self).exec()

    def _add_autocode_and_coder_menus(self, code_menu: QMenu, view_menu: QMenu) -> None:
        code_menu.addSeparator()
        for label, slot, shortcut in (("&Autocode…", lambda: self.open_autocode(), "Ctrl+Shift+A"),
                                      ("Code all &search hits…", self.code_all_search_hits, None)):
            action = QAction(label, self)
            action.triggered.connect(slot)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setEnabled(not self.project.readonly)
            code_menu.addAction(action)
        code_menu.addSeparator()
        self.snap_action = QAction("S&nap selections to whole words", self)
        self.snap_action.setCheckable(True)
        self.snap_action.setChecked(self.coding.snap_words)
        self.snap_action.toggled.connect(self.coding.set_snap_words)
        code_menu.addAction(self.snap_action)
        code_menu.addSeparator()
        self.switch_coder_menu = code_menu.addMenu("Switch &coder")
        self.switch_coder_menu.aboutToShow.connect(lambda: self.coders.fill_switch_menu(self.switch_coder_menu))
        self.switch_coder_menu.setEnabled(not self.project.readonly)
        view_menu.addSeparator()
        self.coder_filter_menu = view_menu.addMenu("Show codings &of")
        self.coder_filter_menu.aboutToShow.connect(lambda: self.coders.fill_filter_menu(self.coder_filter_menu))

    def open_autocode(self, mode: str = "keywords", text: str = "", *, case_sensitive: bool = False,
                      scope: str = "all", search_filter: Filter | None = None) -> AutocodeDialog:
        """The autocode dialog (also for coding all hits of a search or of the find bar)."""
        for old in self.findChildren(AutocodeDialog):
            if not old.isVisible() and not old.busy:
                old.deleteLater()
        dialog = AutocodeDialog(self.project, self.undo_stack, self, source_id=self.document.source_id,
                                code_id=self._selected_code_id(), mode=mode, text=text,
                                case_sensitive=case_sensitive, scope=scope)
        dialog.search_filter = search_filter
        dialog.open_requested.connect(self.open_excerpt)
        dialog.applied.connect(lambda count: self.statusBar().showMessage(
            f"Coded {count} passage{'s' if count != 1 else ''}. Edit > Undo takes them back.", 8000))
        dialog.open()
        return dialog

    def code_all_search_hits(self) -> AutocodeDialog:
        """Code every hit of the project search shown in the search panel (or of a query typed in the dialog)."""
        flt = self.search_panel.filters.filter()
        return self.open_autocode("search", self.search_panel.shown_query or self.search_panel.query.text(),
                                  search_filter=None if flt.is_empty() else flt)

    def _coder_switched(self, coder: Coder) -> None:
        if self.session is not None:
            self.session.coder = coder.name  # projects opened next from this window code as the same coder
        self._update_title()

    def _coder_filter_changed(self, coder_id: int | None) -> None:
        self._update_title()
        self._refresh_highlights()
        self.codebook_model.set_coder(coder_id)
        self.segments.set_coder(coder_id)
        self.cases_table.segments.set_coder(coder_id)

    def show_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.query.setFocus()

    def _fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        assert self.session is not None
        for path in self.session.recent():
            menu.addAction(path, lambda p=path: self.session.open(p, self))  # type: ignore[union-attr]
        if menu.isEmpty():
            menu.addAction("(none yet)").setEnabled(False)

    def import_flow_files(self) -> None:
        self.import_flow.choose_files()

    def import_flow_folder(self) -> None:
        self.import_flow.choose_folder()

    def open_export_dialog(self) -> ExportDialog:
        dialog = ExportDialog(self.project, self, source_id=self.document.source_id, undo_stack=self.undo_stack)
        dialog.exported.connect(lambda path: self.statusBar().showMessage(f"Exported to {path}", 8000))
        dialog.open()
        return dialog

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and not self.project.readonly:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_flow.start(paths)

    def _update_title(self) -> None:
        suffix = " (read-only: open in another window)" if self.project.locked_elsewhere else (
            " (read-only)" if self.project.readonly else "")
        self.setWindowTitle(f"{self.project.name} — qcode{suffix}")
        self.project_label.setText(f"Project: {self.project.name}{suffix}")
        self.coder_label.setText(self.coders.label())

    # --- reacting ------------------------------------------------------------------------------------

    def _source_clicked(self, index: QModelIndex) -> None:
        if index.data(KIND_ROLE) != "source":
            return
        source_id = int(index.data(ID_ROLE))
        self.document.show_source(source_id, self.project.source_text(source_id))
        self.document_actions.show_source_structure(source_id)
        self._refresh_highlights()
        self.memo_panel.set_target("source", source_id, f"source '{self.project.source(source_id).name}'")
        self.statusBar().showMessage(self.project.source(source_id).name, 3000)

    def show_source(self, source_id: int) -> None:
        """Show a source in the document, selected in the Sources panel (as clicking it there does)."""
        index = find_index(self.sources_model, "source", source_id)
        self.sources_view.setCurrentIndex(index)
        self._source_clicked(index)

    def _place_key(self) -> str:
        return f"projects/{self.project.metadata().get('guid', self.project.path.name)}"

    def _show_first_source(self) -> None:
        """Reopen where the user left off (source and scroll position), else on the first source."""
        source_ids = list(self.sources_model.ranks)  # in the project's listing order
        if not source_ids:
            self.document.setPlaceholderText("This project has no sources yet. Import some with File > Import.")
            return
        self.document.setPlaceholderText("")
        source_id, scroll = source_ids[0], 0
        if self.settings is not None:
            remembered = self.settings.value(f"{self._place_key()}/source")
            if remembered is not None and str(remembered).isdigit() and int(remembered) in self.sources_model.ranks:
                source_id = int(remembered)
                scroll = int(self.settings.value(f"{self._place_key()}/scroll", 0) or 0)
        index = find_index(self.sources_model, "source", source_id)
        self.sources_view.setCurrentIndex(index)
        self._source_clicked(index)
        self.document.verticalScrollBar().setValue(scroll)

    def _refresh_highlights(self) -> None:
        if self.document.source_id is None:
            return
        codings = self.project.codings_for_source(self.document.source_id, coder_id=self.coders.filter_id)
        self.document.show_codings(codings, self.codebook.by_id())

    def _code_chosen(self, code_id: int) -> None:
        """Apply the code to the selected text (double-click or Enter on a code): one gesture, one coding."""
        self.coding.apply_code(code_id)

    # --- codebook editing (every change through the undo stack) --------------------------------------

    def _selected_code_id(self) -> int | None:
        index = self.codebook_view.currentIndex()
        return int(index.data(ID_ROLE)) if index.isValid() and index.data(KIND_ROLE) == "code" else None

    def _code_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._reloading_codes:  # the tree is being rebuilt; the selection is put back afterwards
            return
        code_id = int(current.data(ID_ROLE)) if current.isValid() else None
        self._show_selected_segments()
        self.codebook_panel.form.set_code(code_id)
        if code_id is not None:
            self.memo_panel.set_target("code", code_id, f"code '{self.project.code(code_id).name}'")

    def _show_selected_segments(self) -> None:
        """The coded segments of every selected code (Ctrl/Shift+click selects several), else the current one."""
        if self._reloading_codes:
            return
        rows = self.codebook_view.selectionModel().selectedRows(0)
        ids = [int(i.data(ID_ROLE)) for i in rows if i.data(KIND_ROLE) == "code"]
        current = self._selected_code_id()
        if not ids and current is not None:
            ids = [current]
        if tuple(ids) != self.segments.code_ids:
            self.segments.show_codes(ids)

    def _push(self, command: CoreCommand) -> bool:
        return push_or_warn(self.undo_stack, command, self)

    # --- codings in the document ---------------------------------------------------------------------

    def remove_coding(self, coding_id: int) -> None:
        coding = self.project.coding(coding_id)
        self._push(RemoveCoding(self.project, coding, self.project.code(coding.code_id).name))

    def _document_menu(self, menu: QMenu, offset: int) -> None:
        self.coding.extend_menu(menu)
        self.document_actions.extend_menu(menu, offset)
        here = self.document.codings_at(offset)
        if not here or self.project.readonly:
            return
        menu.addSeparator()
        coders = {c.id: c.name for c in self.project.coders()}
        for coding in here:
            name = self.project.code(coding.code_id).name
            menu.addAction(f"Remove coding '{name}' ({coders.get(coding.coder_id, '')})",
                           lambda cid=coding.id: self.remove_coding(cid))

    def open_excerpt(self, source_id: int, start: int, end: int) -> None:
        """Show a source with a range selected and scrolled into view (from the coded segments)."""
        if self.document.source_id != source_id:
            self.show_source(source_id)
        self.document.select_range(start, end)
        self.document.setFocus()

    def _project_changed(self, change: Change) -> None:
        """Update only what a change touches: a coding changes counts and one source's highlights."""
        if change.kind == "coding":
            self.codebook_model.update_counts()
            if not change.source_ids or self.document.source_id in change.source_ids:
                self._refresh_highlights()
            if change.source_ids:
                self.sources_model.update_counts(change.source_ids)
            else:
                self._reload_sources()
            self.segments.refresh_sources(change.source_ids)
            self.cases_table.segments.refresh_sources(change.source_ids)
        if change.kind == "code":
            current = self._selected_code_id()
            self._reloading_codes = True
            try:
                self.codebook_model.reload()  # keeps the quick keys it shows
                self.codebook_view.expandAll()
                if current is not None:
                    index = find_index(self.codebook_model, "code", current)
                    if index.isValid():
                        self.codebook_view.setCurrentIndex(index)
            finally:
                self._reloading_codes = False
            if self._selected_code_id() != current:  # the selected code is gone (deleted, merged, undone)
                self._code_selected(self.codebook_view.currentIndex(), QModelIndex())
            self.codebook_panel.form.refresh()
            if change.action != "changed":  # deleting, merging or restoring codes changes sources' counts
                self.sources_model.update_all_counts()
            self._refresh_highlights()
            self._segments_refresh.start()  # once for the several changes a merge or move reports
        if change.kind in ("memo", "code", "source", "case"):
            self.memo_panel.refresh()
        if change.kind == "memo":
            self.document_actions.refresh_memos()
        if change.kind in ("case", "attribute", "source"):
            self.cases_table.refresh()
            self.cases_table.segments.refresh()  # the case's parts, or its sources, changed
        if change.kind == "source":
            self.search_panel.refresh()
            if change.action == "removed" and self.document.source_id in change.ids:
                self.document.clear_source()
        if change.kind in ("source", "folder"):
            self._reload_sources()
        if change.kind == "source" and self.document.source_id is None and (
                change.action != "removed" or not self.sources_model.ranks):
            self._show_first_source()  # the first import opens its first source instead of "no sources yet"

    def _reload_sources(self) -> None:
        self.sources_model.reload()
        self.sources_view.expandAll()
        self.sources_panel.apply_filter()
        if self.document.source_id is not None:
            self.sources_view.setCurrentIndex(find_index(self.sources_model, "source", self.document.source_id))

    # --- layout --------------------------------------------------------------------------------------

    def _default_size(self) -> None:
        """Most of the screen on first start (at least 1200 x 760), so the document gets room."""
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        width, height = 1200, 760
        if screen is not None:
            width = max(width, min(int(screen.width() * 0.85), 1800))
            height = max(height, min(int(screen.height() * 0.85), 1100))
        self.resize(width, height)

    def _restore_layout(self) -> None:
        if self.settings is None:
            self._default_size()
            return
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self._default_size()
        if isinstance(state, QByteArray):
            self.dock_layout.restored = self.restoreState(state)
        splitter = self.settings.value("window/codebook-splitter")
        if isinstance(splitter, QByteArray):
            self.codebook_panel.restore_split(splitter)

    def save_pending(self) -> None:
        """Store every edit still waiting: a memo or code definition typed without a pause, a case cell being
        edited, the values typed in an open dialog (a source's attributes, a pseudonym)."""
        if not self.project.is_open:
            return
        self.cases_table.commit_pending()
        self.codebook_panel.form.save_all()
        self.memo_panel.save()
        save_pending_in_windows(self)

    def quit_all(self) -> None:
        """File > Quit: close every project window (each stores what is pending first)."""
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        for window in [self] + [w for w in windows if w is not self]:
            window.close()

    def closeEvent(self, event) -> None:
        self.save_pending()  # a memo or definition typed just before closing
        close_windows_and_timers(self)  # the project may close next: no dialog or timer of this window acts on it
        if self.settings is not None:
            self.settings.setValue("window/geometry", self.saveGeometry())
            self.settings.setValue("window/state", self.saveState())
            self.settings.setValue("window/codebook-splitter", self.codebook_panel.splitter.saveState())
            if self.document.source_id is not None:
                self.settings.setValue(f"{self._place_key()}/source", self.document.source_id)
                self.settings.setValue(f"{self._place_key()}/scroll", self.document.verticalScrollBar().value())
        self.signals.detach()
        self.codebook.detach()
        super().closeEvent(event)
        self.closed.emit()
