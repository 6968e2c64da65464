"""What the document's margins and context menu do: stripes that select and remove codings, memos on passages.

The main window hands the shown source over (`show_source_structure`) and forwards memo changes
(`refresh_memos`); every change goes through the undo stack as one step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QInputDialog, QMenu, QPlainTextEdit, QWidget

from qcode.core.model import Coding, Memo
from qcode.core.project import Project
from qcode.gui.commands.base import CoreCommand, push_or_warn
from qcode.gui.commands.codings import RemoveCoding
from qcode.gui.commands.memos import AddRangeMemo, DeleteMemo, EditRangeMemo
from qcode.gui.views.coding_stripes import Stripe
from qcode.gui.views.document_view import DocumentView

MEMO_IN_TOOLTIP = 300  # characters of a coding's memo shown when hovering it


def passage_memo_dialog(parent: QWidget, label: str, text: str = "") -> QInputDialog:
    """The dialog for a memo on a passage: several lines, wrapped at the dialog's width."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("Passage memo")
    dialog.setLabelText(label)
    dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput, True)
    dialog.setTextValue(text)
    editor = dialog.findChild(QPlainTextEdit)
    if editor is not None:
        editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        editor.setAccessibleName("Passage memo text")  # not "Memo…": that name belongs to the memo panel
    dialog.resize(480, 300)
    return dialog


class DocumentActions(QObject):
    def __init__(self, window: QWidget, project: Project, document: DocumentView, undo_stack: QUndoStack,
                 status: Callable[[str], None]) -> None:
        super().__init__(window)
        self.window = window
        self.project = project
        self.document = document
        self.undo_stack = undo_stack
        self.status = status
        document.describe_coding = self.describe_coding
        document.stripes.tooltip_for = self.describe_stripe
        document.stripes.stripe_clicked.connect(lambda stripe: document.select_range(stripe.start, stripe.end))
        document.stripes.context_requested.connect(self._stripe_menu)
        document.margin.memo_clicked.connect(self._memo_clicked)

    # --- showing -----------------------------------------------------------------------------------------

    def show_source_structure(self, source_id: int) -> None:
        self.document.show_structure(self.project.spans(source_id), self.project.range_memos(source_id))

    def refresh_memos(self) -> None:
        if self.document.source_id is not None:
            self.document.show_range_memos(self.project.range_memos(self.document.source_id))

    def describe_stripe(self, stripe: Stripe) -> str:
        return "\n".join(self.describe_coding(coding) for coding in stripe.codings)

    def describe_coding(self, coding: Coding) -> str:
        """Code path, coder and the coding's memo, for tooltips."""
        text = f"{self.project.code_path(coding.code_id)} — {self.project.coder(coding.coder_id).name}"
        memo = self.project.memo("coding", coding.id)
        if memo is not None and memo.text.strip():
            note = memo.text if len(memo.text) <= MEMO_IN_TOOLTIP else memo.text[:MEMO_IN_TOOLTIP] + "…"
            text += f"\nMemo: {note}"
        return text

    # --- menus -------------------------------------------------------------------------------------------

    def _stripe_menu(self, stripe: Stripe, position: QPoint) -> None:
        menu = QMenu(self.window)
        menu.addAction("Select the passage", lambda: self.document.select_range(stripe.start, stripe.end))
        if not self.project.readonly:
            label = self.project.code(stripe.code_id).name
            coders = {c.id: c.name for c in self.project.coders()}
            for coding in stripe.codings:
                menu.addAction(f"Remove coding '{label}' ({coders.get(coding.coder_id, '')})",
                               lambda c=coding: self._push(RemoveCoding(self.project, c, label)))
        menu.exec(position)
        menu.deleteLater()

    def extend_menu(self, menu: QMenu, offset: int) -> None:
        """Memo actions for the document's context menu: on the selection, and on memos under the pointer."""
        if self.project.readonly:
            return
        menu.addSeparator()
        selection = self.document.selection()
        action = menu.addAction("Add a memo to the selection…", self.add_memo_to_selection)
        action.setEnabled(selection is not None)
        for memo in self.document.memos_at(offset):
            preview = " ".join(memo.text.split())[:30]
            menu.addAction(f"Edit memo '{preview}'…", lambda m=memo: self.edit_memo(m))
            menu.addAction(f"Delete memo '{preview}'", lambda m=memo: self.delete_memo(m))

    # --- memos on passages -------------------------------------------------------------------------------

    def add_memo_to_selection(self, text: str | None = None) -> bool:
        selection = self.document.selection()
        if selection is None or self.document.source_id is None:
            self.status("Select a passage first, then add a memo to it.")
            return False
        if text is None:
            dialog = passage_memo_dialog(self.window, "Memo on the selected passage:")
            if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.textValue().strip():
                return False
            text = dialog.textValue()
        return self._push(AddRangeMemo(self.project, self.document.source_id, *selection, text))

    def edit_memo(self, memo: Memo, text: str | None = None) -> bool:
        if text is None:
            dialog = passage_memo_dialog(self.window, "Memo on the passage:", memo.text)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.textValue() == memo.text:
                return False
            text = dialog.textValue()
        if not text.strip():
            return self.delete_memo(memo)
        return self._push(EditRangeMemo(self.project, memo, text))

    def delete_memo(self, memo: Memo) -> bool:
        return self._push(DeleteMemo(self.project, memo))

    def _memo_clicked(self, memo: Memo) -> None:
        if memo.start is not None and memo.end is not None:
            self.document.select_range(memo.start, memo.end)
        self.status(f"Memo: {' '.join(memo.text.split())[:200]}")

    def _push(self, command: CoreCommand) -> bool:
        return push_or_warn(self.undo_stack, command, self.window)
