"""The one place where Qt's UTF-16 positions meet the core's code-point offsets.

Qt counts a character outside the Basic Multilingual Plane (an emoji, say) as two positions; the core
counts it as one. `TextOffsets` converts both ways in O(log n) using the positions of those characters.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class TextOffsets:
    def __init__(self, text: str) -> None:
        #: code-point offsets of astral characters, in order
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        #: their UTF-16 positions
        self._astral_qt = [cp + n for n, cp in enumerate(self._astral)]
        self.length = len(text)

    def to_qt(self, offset: int) -> int:
        """UTF-16 position of a code-point offset."""
        return offset + bisect_left(self._astral, offset)

    def from_qt(self, position: int) -> int:
        """Code-point offset of a UTF-16 position (a position inside a surrogate pair rounds down)."""
        before = bisect_right(self._astral_qt, position - 2)  # astral characters wholly before the position
        if before < len(self._astral_qt) and self._astral_qt[before] == position - 1:
            return self._astral[before]
        return position - before
