"""Options that turn detected speaker turns into cases and codings, for any importer's result."""

from __future__ import annotations

from qcode.core.importers.base import ParsedCase, ParsedCoding, ParseResult

SPEAKER_CODE_PARENT = "Speakers"
SPEAKER_CODE_COLOR = "#8c8c8c"  # speaker codes are bookkeeping, not themes: grey


def apply_speaker_options(result: ParseResult, *, cases: bool, autocode: bool) -> None:
    """Add a case per speaker (its turns as member ranges) and/or a coding of each turn with 'Speakers/<name>'.

    A speaker already named by a case of the result gets the turns added to that case.
    """
    if not (cases or autocode):
        return
    by_name = {case.name.casefold(): case for case in result.cases}
    for index, source in enumerate(result.sources):
        for span in source.spans:
            if span.kind != "turn" or not span.value or span.end <= span.start:
                continue
            if cases:
                case = by_name.get(span.value.casefold())
                if case is None:
                    case = ParsedCase(name=span.value)
                    by_name[span.value.casefold()] = case
                    result.cases.append(case)
                if not _covered(case, index, span.start, span.end):  # e.g. a survey answer already a member
                    case.members.append((index, span.start, span.end))
            if autocode:
                speaker = span.value.replace("/", "-")
                result.codings.append(ParsedCoding(index, f"{SPEAKER_CODE_PARENT}/{speaker}", span.start, span.end))


def _covered(case: ParsedCase, index: int, start: int, end: int) -> bool:
    return any(i == index and (s is None or (s <= start and end <= e)) for i, s, e in case.members)  # type: ignore[operator]
