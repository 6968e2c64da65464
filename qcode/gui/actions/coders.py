"""Coders in the window: who is coding now (switchable, remembered), and whose codings are shown.

Switching the coder changes who new codings and memos belong to; it is remembered in the user settings
(`coder/name`) for the next start. The filter "Show codings of" narrows the document's highlights, the
codebook's counts and the coded segments to one coder's codings; it changes no data.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QMouseEvent
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu, QMessageBox, QWidget

from qcode.core.errors import NotFoundError, QcodeError
from qcode.core.model import Coder
from qcode.core.project import Project

CODER_SETTING = "coder/name"


class CoderControls(QObject):
    coder_changed = Signal(object)  # the Coder now coding
    filter_changed = Signal(object)  # the coder id whose codings are shown, or None for all coders

    def __init__(self, window: QWidget, project: Project, settings: QSettings | None,
                 status: Callable[[str], None]) -> None:
        super().__init__(window)
        self.window = window
        self.project = project
        self.settings = settings
        self.status = status
        self.filter_id: int | None = None
        self._label: QLabel | None = None
        self.popup: QMenu | None = None  # the menu the label opened last

    # --- the current coder ------------------------------------------------------------------------------

    def switch_to(self, name: str) -> Coder | None:
        """Code as `name` from now on (a new coder is added to the project); remembered for the next start."""
        if self.project.readonly:
            self.status("This project is open read-only: nobody codes in it here.")
            return None
        try:
            coder = self.project.use_coder(name)
        except QcodeError as err:
            QMessageBox.warning(self.window, "qcode", err.message)
            return None
        if self.settings is not None:
            self.settings.setValue(CODER_SETTING, coder.name)
        self.coder_changed.emit(coder)
        self.status(f"You now code as {coder.name}.")
        return coder

    def ask_new_coder(self) -> Coder | None:
        name, ok = QInputDialog.getText(self.window, "New coder", "Name of the coder:")
        if not ok or not name.strip():
            return None
        return self.switch_to(name)

    def fill_switch_menu(self, menu: QMenu) -> None:
        """The project's coders (the current one checked) and "New coder…"."""
        menu.clear()
        current = self.project.current_coder.id
        group = QActionGroup(menu)
        for coder in self.project.coders():
            action = QAction(coder.name, menu)
            action.setCheckable(True)
            action.setChecked(coder.id == current)
            action.triggered.connect(lambda _=False, name=coder.name: self.switch_to(name))
            group.addAction(action)
            menu.addAction(action)
        menu.addSeparator()
        new = menu.addAction("New coder…", self.ask_new_coder)
        new.setEnabled(not self.project.readonly)

    # --- whose codings are shown --------------------------------------------------------------------

    def set_filter(self, coder_id: int | None) -> None:
        """Show the codings of one coder (None: of all coders)."""
        if coder_id is not None:
            try:
                self.project.coder(coder_id)
            except NotFoundError:
                coder_id = None
        if self.project.blind_coding and coder_id != self.project.current_coder.id:
            self.status("Blind coding is on: you see only your own codings until the team compares.")
            coder_id = self.project.current_coder.id
        if coder_id == self.filter_id:
            return
        self.filter_id = coder_id
        self.filter_changed.emit(coder_id)
        who = "all coders" if coder_id is None else self.project.coder(coder_id).name
        self.status(f"Showing the codings of {who}.")

    def fill_filter_menu(self, menu: QMenu) -> None:
        """"All coders" and each coder, the shown one checked."""
        menu.clear()
        group = QActionGroup(menu)
        choices: list[tuple[str, int | None]] = [("All coders", None)]
        choices += [(coder.name, coder.id) for coder in self.project.coders()]
        for label, coder_id in choices:
            action = QAction(label, menu)
            action.setCheckable(True)
            action.setChecked(coder_id == self.filter_id)
            action.triggered.connect(lambda _=False, cid=coder_id: self.set_filter(cid))
            group.addAction(action)
            menu.addAction(action)
            if coder_id is None:
                menu.addSeparator()

    def attach_label(self, label: QLabel) -> None:
        """Clicking the status bar's coder label opens the menu of coders to switch to."""
        self._label = label
        label.setCursor(Qt.CursorShape.PointingHandCursor)
        label.installEventFilter(self)

    def popup_switch_menu(self) -> QMenu:
        if self.popup is not None:
            self.popup.deleteLater()
        menu = self.popup = QMenu(self.window)
        self.fill_switch_menu(menu)
        if self._label is not None:
            menu.popup(self._label.mapToGlobal(self._label.rect().topLeft()))
        return menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self._label and event.type() == QEvent.Type.MouseButtonRelease
                and isinstance(event, QMouseEvent) and event.button() == Qt.MouseButton.LeftButton):
            self.popup_switch_menu()
            return True
        return super().eventFilter(watched, event)

    def label(self) -> str:
        """The status bar's text: who codes, and whose codings are shown when that is one coder."""
        text = f"Coder: {self.project.current_coder.name}"
        if self.filter_id is not None:
            try:
                text += f"  ·  showing codings of {self.project.coder(self.filter_id).name} only"
            except NotFoundError:
                pass
        return text
