"""The analysis views, in the order of the Analysis area's tabs and of the Analyse menu.

Kept apart from the views themselves so that the menu can be built when a window opens without importing
any view (nor the exporters and matplotlib they use): a view's module is imported when the area opens.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qcode.gui.analysis.base import AnalysisView


@dataclass(frozen=True)
class ViewEntry:
    """One analysis view: its key (stable, for code and settings), the Analyse menu's text, and where its
    class lives ('module:Class', imported when the area opens)."""

    key: str
    menu_text: str
    target: str
    shortcut: str = ""
    title: str = ""  # the tab's text before the view is made (its class's `title`; default: the menu text)

    @property
    def tab_title(self) -> str:
        return self.title or self.menu_text.replace("&", "")

    def view_class(self) -> type[AnalysisView]:
        from qcode.gui.analysis.base import AnalysisView

        module, name = self.target.split(":")
        found = getattr(importlib.import_module(module), name)
        if not (isinstance(found, type) and issubclass(found, AnalysisView)):
            raise TypeError(f"{self.target} is not an AnalysisView")
        return found


#: the views, in the order of the tabs and of the Analyse menu
VIEWS: list[ViewEntry] = [
    ViewEntry("frequencies", "&Frequencies", "qcode.gui.analysis.frequency_view:FrequencyView"),
    ViewEntry("matrix", "&Matrix coding", "qcode.gui.analysis.matrix_view:MatrixView", "Ctrl+Shift+M", "Matrix"),
    ViewEntry("cooccurrence", "C&o-occurrence", "qcode.gui.analysis.cooccurrence_view:CooccurrenceView"),
    # the coding query, word frequency and saturation views follow here
    ViewEntry("query", "Coding &query", "qcode.gui.analysis.query_view:QueryView"),
    ViewEntry("words", "&Word frequency", "qcode.gui.analysis.word_view:WordView"),
    ViewEntry("saturation", "&Saturation", "qcode.gui.analysis.saturation_view:SaturationView"),
]
