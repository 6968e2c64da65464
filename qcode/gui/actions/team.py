"""Team work in the window: File > Merge project, Analyse > Agreement and Review disagreements, and Code >
Blind coding (each coder sees only their own codings until the team compares).

Added to the window's menus after they are built, so the main window only creates this controller.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from qcode.core.model import Coder
from qcode.core.project import Change, Project
from qcode.gui.actions.analysis import analyse_menu
from qcode.gui.analysis.agreement_view import AgreementDialog
from qcode.gui.analysis.disagreement_view import DisagreementReview
from qcode.gui.commands.base import push_or_warn
from qcode.gui.commands.team import SetBlindCoding
from qcode.gui.dialogs.project_merge_dialog import MergeProjectDialog
from qcode.gui.support.workers import ProjectSignals


def _menu(window: QMainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == title:
            return action.menu()  # type: ignore[return-value]
    return None


class TeamActions(QObject):
    def __init__(self, window: QMainWindow, project: Project, undo_stack: QUndoStack) -> None:
        super().__init__(window)
        self.window = window
        self.project = project
        self.undo_stack = undo_stack
        writable = not project.readonly
        file_menu = _menu(window, "File")
        self.merge_action = QAction("&Merge project…", window)
        self.merge_action.triggered.connect(self.open_merge)
        self.merge_action.setEnabled(writable)
        if file_menu is not None:
            quit_action = next((a for a in file_menu.actions() if a.text().replace("&", "") == "Quit"), None)
            file_menu.insertAction(quit_action, self.merge_action)
            file_menu.insertSeparator(quit_action)
        analyse = analyse_menu(window)  # shared with the analysis views
        self.agreement_action = analyse.addAction("Inter-coder &agreement…", self.open_agreement)
        self.review_action = analyse.addAction("Review &disagreements…", lambda: self.open_review())
        self.review_action.setEnabled(writable)
        self.blind_action = QAction("&Blind coding (each coder sees only their own codings)", window)
        self.blind_action.setCheckable(True)
        self.blind_action.setEnabled(writable)
        self.blind_action.triggered.connect(self.set_blind)
        code_menu = _menu(window, "Code")
        if code_menu is not None:
            code_menu.addSeparator()
            code_menu.addAction(self.blind_action)
        self.signals = ProjectSignals(project, self)
        self.signals.changed.connect(self._changed)
        coders = getattr(window, "coders", None)
        if coders is not None:
            coders.coder_changed.connect(self._coder_switched)
        self.sync_blind()

    # --- blind coding ---------------------------------------------------------------------------------

    def set_blind(self, on: bool) -> bool:
        if on == self.project.blind_coding:
            return True
        done = push_or_warn(self.undo_stack, SetBlindCoding(self.project, on), self.window)
        self.sync_blind()
        return done

    def sync_blind(self) -> None:
        """Show only the current coder's codings while blind coding is on; lift that when it ends."""
        blind = self.project.blind_coding
        self.blind_action.setChecked(blind)
        coders = getattr(self.window, "coders", None)
        menu = getattr(self.window, "coder_filter_menu", None)
        if menu is not None:
            menu.setEnabled(not blind)
        if coders is None:
            return
        if blind:
            coders.set_filter(self.project.current_coder.id)
        elif coders.filter_id is not None and getattr(self, "_forced", False):
            coders.set_filter(None)
        if blind or getattr(self, "_forced", False):  # the sources' codings counts are the core's, blind or not
            sources = getattr(self.window, "sources_model", None)
            if sources is not None:
                sources.update_all_counts()
        self._forced = blind

    def _coder_switched(self, coder: Coder) -> None:
        if self.project.blind_coding:
            self.sync_blind()

    def _changed(self, change: Change) -> None:
        if change.kind == "project" and self.blind_action.isChecked() != self.project.blind_coding:
            self.sync_blind()
        coders = getattr(self.window, "coders", None)
        if (change.kind == "coder" and change.action == "removed" and coders is not None
                and coders.filter_id is not None
                and coders.filter_id not in {c.id for c in self.project.coders()}):
            coders.set_filter(None)  # the coder shown is gone (a merge taken back): show everyone's again

    # --- dialogs --------------------------------------------------------------------------------------

    def open_merge(self) -> MergeProjectDialog:
        dialog = MergeProjectDialog(self.project, self.undo_stack, self.window)
        dialog.merged.connect(lambda report: self.window.statusBar().showMessage(
            f"Merged {report.other}: {report.codings_added} codings added. Edit > Undo takes it back.", 10000))
        dialog.open()
        return dialog

    def _compare_allowed(self) -> bool:
        """Comparing ends blind coding: ask first."""
        if not self.project.blind_coding:
            return True
        answer = QMessageBox.question(self.window, "Blind coding",
                                      "Blind coding is on. Comparing shows everyone's codings, so it ends blind "
                                      "coding for the team. End it and compare?")
        if answer != QMessageBox.StandardButton.Yes and answer != QMessageBox.StandardButton.Ok:
            return False
        return self.set_blind(False)

    def open_agreement(self) -> AgreementDialog | None:
        if not self._compare_allowed():
            return None
        dialog = AgreementDialog(self.project, self.window)
        dialog.review_requested.connect(self.open_review)
        dialog.show()
        return dialog

    def open_review(self, coder_ids: tuple[int, ...] | None = None) -> DisagreementReview | None:
        if not self._compare_allowed():
            return None
        if coder_ids is None:  # everyone who has coded something
            coding = {coder_id for _, coder_id in self.project.coders_by_source(c.id for c in self.project.coders())}
            coder_ids = tuple(c.id for c in self.project.coders() if c.id in coding)
        ids = tuple(coder_ids)
        if len(ids) < 2:
            QMessageBox.information(self.window, "Review disagreements",
                                    "There is only one coder in this project: there is nothing to compare yet.")
            return None
        review = DisagreementReview(self.project, self.undo_stack, ids, self.window)
        review.resolved.connect(lambda text: self.window.statusBar().showMessage(text, 5000))
        review.show()
        return review
