"""Autocoding: find the passages to code (keywords, a pattern, a speaker's turns, search hits), preview them.

Nothing here writes: the ranges found are applied with `apply_codings` (one transaction, undoable with
`remove_codings`), so that a face can show exactly what will be coded before it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from qcode.core import autocode
from qcode.core.analysis import search as text_search
from qcode.core.analysis.locations import LocationIndex, location_index
from qcode.core.autocode import AutocodePreview, AutocodeRequest
from qcode.core.errors import AutocodeCancelled, InvalidQueryError
from qcode.core.model import NewCoding, Passage, Range
from qcode.core.progress import NoProgress, Progress
from qcode.core.project.base import ProjectBase
from qcode.core.store import sources as source_store

PASSAGE_CHARS = 300
SEARCH_HIT_LIMIT = 1_000_000


class AutocodeMixin(ProjectBase):
    """Autocoding: the passages a request finds, previews of them, and the widening of hits and selections to units."""

    new_codings_only: Callable[[Iterable[NewCoding]], list[NewCoding]]  # provided by CodingsMixin
    _resolve_coder: Callable[[int | None], int]

    def speakers(self, source_ids: Iterable[int] | None = None) -> list[tuple[str, int]]:
        """The speakers of the sources' turns, with their numbers of turns, by name."""
        ids = None if source_ids is None else tuple(source_ids)
        return source_store.speaker_counts(self._store.read, ids)

    def _source_ids(self, source_ids: Iterable[int] | None) -> list[int]:
        if source_ids is None:
            return [s.id for s in source_store.sources(self._store.read)]
        ids = list(dict.fromkeys(source_ids))
        for source_id in ids:
            self._source(source_id)
        return ids

    def autocode_ranges(
        self,
        *,
        pattern: str | None = None,
        keywords: Iterable[str] = (),
        speakers: Iterable[str] = (),
        unit: str = "hit",
        source_ids: Iterable[int] | None = None,
        case_sensitive: bool = False,
        progress: Progress | None = None,
    ) -> list[Range]:
        """The passages autocoding would code: hits of a pattern or of keywords, or a speaker's turns, widened
        to `unit`; in source order, then text order. Give exactly one of pattern, keywords or speakers."""
        progress = progress or NoProgress()
        chosen = [s for s in speakers if s.strip()]
        if chosen and (pattern is not None or any(w.strip() for w in keywords)):
            raise InvalidQueryError("Autocode either words or a pattern, or speakers, not both at once.")
        regex = None if chosen else autocode.compile_pattern(pattern=pattern, keywords=keywords,
                                                             case_sensitive=case_sensitive)
        if unit not in autocode.UNITS:
            raise InvalidQueryError(f"The unit of autocoding is one of {', '.join(autocode.UNITS)}, not '{unit}'.")
        read = self._store.read
        ids = self._source_ids(source_ids)
        found: list[Range] = []
        for done, source_id in enumerate(ids):
            if progress.cancelled():
                raise AutocodeCancelled()
            progress.step(done, len(ids), "")
            text = source_store.source_text(read, source_id) or ""
            spans = source_store.spans(read, source_id)
            if regex is None:
                ranges = autocode.speaker_ranges(text, spans, chosen, unit)
            else:
                ranges = autocode.find_ranges(text, spans, regex, unit)
            found += [(source_id, start, end) for start, end in ranges]
        progress.step(len(ids), len(ids), "")
        return found

    def request_ranges(self, request: AutocodeRequest, progress: Progress | None = None) -> list[Range]:
        """The passages an autocode request finds (see `AutocodeRequest` for how each mode reads its text)."""
        if request.mode not in autocode.MODES:
            raise InvalidQueryError(f"Autocoding finds {', '.join(autocode.MODES)}, not '{request.mode}'.")
        unit, source_ids = request.unit, request.source_ids
        if request.mode == "search":
            return self.search_ranges(request.text, unit=unit, source_ids=source_ids, progress=progress)
        if request.mode == "speakers":
            return self.autocode_ranges(speakers=request.speakers, unit=unit, source_ids=source_ids,
                                        progress=progress)
        if request.mode == "keywords":
            return self.autocode_ranges(keywords=request.keywords(), case_sensitive=request.case_sensitive,
                                        unit=unit, source_ids=source_ids, progress=progress)
        return self.autocode_ranges(pattern=request.pattern(), case_sensitive=request.case_sensitive, unit=unit,
                                    source_ids=source_ids, progress=progress)

    def preview_request(self, request: AutocodeRequest, *, context: int = 0,
                        progress: Progress | None = None) -> AutocodePreview:
        """What applying the request would code: the passages found less those already coded so, each with up
        to `context` characters either side."""
        ranges = self.request_ranges(request, progress)
        if request.code_id is not None:
            planned = self.plan_codings(request.code_id, ranges, coder_id=request.coder_id)
            new = [(p.source_id, p.start, p.end) for p in planned]
        else:
            new = list(dict.fromkeys(ranges))
        return AutocodePreview(request, self.passages(new, context=context), len(ranges) - len(new))

    def search_ranges(
        self,
        query: str,
        *,
        unit: str = "hit",
        source_ids: Iterable[int] | None = None,
        progress: Progress | None = None,
    ) -> list[Range]:
        """Every hit of a project search (the search panel's query language), widened to `unit`."""
        progress = progress or NoProgress()
        read = self._store.read
        ids = tuple(self._source_ids(source_ids)) if source_ids is not None else ()
        if source_ids is not None and not ids:
            return []
        hits: dict[int, list[tuple[int, int]]] = {}
        for hit in text_search.search(read, query, limit=SEARCH_HIT_LIMIT, source_ids=ids):
            hits.setdefault(hit.source_id, []).append((hit.start, hit.end))
        order = {s.id: n for n, s in enumerate(source_store.sources(read))}
        found: list[Range] = []
        for done, source_id in enumerate(sorted(hits, key=lambda i: order.get(i, 0))):
            if progress.cancelled():
                raise AutocodeCancelled()
            progress.step(done, len(hits), "")
            found += [(source_id, s, e) for s, e in self.widen_ranges(source_id, hits[source_id], unit)]
        return found

    def widen_ranges(self, source_id: int, ranges: Iterable[tuple[int, int]], unit: str) -> list[tuple[int, int]]:
        """Ranges of one source widened to a unit (hit, sentence, paragraph, turn), merged when equal."""
        self._source(source_id)
        read = self._store.read
        text = source_store.source_text(read, source_id) or ""
        return autocode.widen(text, source_store.spans(read, source_id), ranges, unit)

    def snap_to_words(self, source_id: int, start: int, end: int) -> tuple[int, int]:
        """A selection widened to whole words (white space at its ends dropped)."""
        self._check_range(source_id, start, end)
        read = self._store.read
        left = max(0, start - 200)
        length = self._source(source_id).length
        window = source_store.source_slice(read, source_id, left, min(length, end + 200))
        lo, hi = autocode.snap_to_words(window, start - left, end - left)
        return lo + left, hi + left

    def passages(self, ranges: Iterable[Range], *, chars: int = PASSAGE_CHARS, context: int = 0) -> list[Passage]:
        """Ranges with their source's name, their location as reports cite it, and their text on one line;
        with `context`, up to that many characters before and after (in the same paragraph or line)."""
        read = self._store.read
        names: dict[int, str] = {}
        indexes: dict[int, LocationIndex] = {}
        current_id, current_text = None, ""  # one source's text at a time
        result = []
        for source_id, start, end in ranges:
            if source_id not in names:
                names[source_id] = self._source(source_id).name
                indexes[source_id] = location_index(read, source_id)
            if source_id != current_id:
                current_id, current_text = source_id, source_store.source_text(read, source_id) or ""
            text = " ".join(current_text[start:min(end, start + chars * 2)].split())
            before = after = ""
            if len(text) > chars or end - start > chars * 2:
                text = text[:chars].rstrip() + "…"
            elif context > 0:
                before, after = _context(current_text, start, end, context)
            result.append(Passage(source_id, start, end, names[source_id], indexes[source_id].describe(start), text,
                                  before, after))
        return result

    def plan_codings(self, code_id: int, ranges: Iterable[Range], *, coder_id: int | None = None) -> list[NewCoding]:
        """The codings that coding these ranges with a code would add (ranges already so coded are left out)."""
        batch = [NewCoding(source_id, code_id, start, end, coder_id) for source_id, start, end in ranges]
        return self.new_codings_only(batch)

    def autocode_preview(
        self,
        code_id: int,
        *,
        pattern: str | None = None,
        keywords: Iterable[str] = (),
        speakers: Iterable[str] = (),
        unit: str = "hit",
        source_ids: Iterable[int] | None = None,
        coder_id: int | None = None,
    ) -> list[NewCoding]:
        """The codings autocoding would add: each hit of the pattern or keywords, or each speaker's turn,
        widened to `unit` (including passages already coded so, which `add_codings` skips)."""
        self._code(code_id)
        coder = self._resolve_coder(coder_id)
        ranges = self.autocode_ranges(pattern=pattern, keywords=keywords, speakers=speakers, unit=unit,
                                      source_ids=source_ids)
        return [NewCoding(source_id, code_id, start, end, coder) for source_id, start, end in ranges]


def _context(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    """Up to `width` characters either side of [start, end), within its line, cut at a word, on one line."""
    left = max(0, start - width, text.rfind("\n", 0, start) + 1)
    line_end = text.find("\n", end)
    right = min(len(text), end + width, line_end if line_end >= 0 else len(text))
    before = " ".join(text[left:start].split()) + (" " if start > left and text[start - 1].isspace() else "")
    after = (" " if right > end and text[end].isspace() else "") + " ".join(text[end:right].split())
    if left > 0 and text[left - 1] != "\n":  # cut short: drop a word cut in two, mark the cut
        if not text[left - 1].isspace() and not text[left].isspace() and " " in before.strip():
            before = before[before.find(" ") + 1:]
        before = "…" + before.lstrip()
    if right < len(text) and text[right] != "\n":
        if not text[right - 1].isspace() and not text[right].isspace() and " " in after.strip():
            after = after[:after.rstrip().rfind(" ")]
        after = after.rstrip() + "…"
    return before, after
