"""User text (names, memos, excerpts, Word comments) shown as text, never as HTML.

Qt shows a tooltip, a label or a message box as rich text when its text merely looks like HTML
(`Qt::mightBeRichText`), so a memo or an imported Word comment holding `<img src="file:...">` would load a
local image, and `<h1>` would draw a heading. Tooltips and messages take their text through `as_text`, which
escapes it and hands Qt rich text that holds only that text; labels that show user text are set to plain text.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def as_text(text: str) -> str:
    """Text for a tooltip or message box that Qt shows literally, line breaks kept ('' stays '': no tooltip)."""
    if not text:
        return ""
    return '<p style="white-space:pre-wrap">' + html.escape(text, quote=False) + "</p>"


def plain_label(label: QLabel) -> QLabel:
    """Make a label show its text literally, however much it looks like HTML."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
