"""Survey exports with more than one header row, and the question text that labels each column.

SurveyMonkey writes its questions in row 1 and, in row 2, the answer options of multiple-choice questions
(or "Response" / "Open-Ended Response"). Qualtrics writes three rows: the question id ("Q5"), the question
text, and a row of JSON ({"ImportId":"QID5"}). Read naively, the second row becomes a respondent. A row below
the first is taken as a header row when it
- holds Qualtrics' JSON import ids, or
- repeats a column's name in that column ("Response ID" under "ResponseId"), or
- has no number at all, holds question texts (long on average) or SurveyMonkey's "Response" placeholders, and
  the rows below it carry numeric respondent ids in a column where it has none (above the first respondent).
At most three header rows are read. A column's label is then its question text: the later row's text under a
short code ("Q5" -> "How do you ...?"), the question with its option under a question ("Which sports? -
Football"), or the first row's name where the later rows add nothing.
"""

from __future__ import annotations

import re

MAX_HEADER_ROWS = 3
SAMPLE = 20  # rows below the candidates looked at for numeric ids
QUESTION_LENGTH = 15  # characters: cells this long on average read as question texts
_IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"\s*:', re.IGNORECASE)
_CODE = re.compile(r"^[\w.:-]{1,16}$")  # "Q5", "QID12_TEXT", "Q1.2": a column code, not a question
_PLACEHOLDERS = {"response", "open-ended response", "open ended response", "responses"}
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


def _numeric_id_columns(rows: list[list[str]]) -> set[int]:
    """Columns whose cells in `rows` are all whole numbers, each different: respondent ids."""
    if not rows:
        return set()
    width = max(len(row) for row in rows)
    found = set()
    for index in range(width):
        cells = [row[index] if index < len(row) else "" for row in rows]
        if all(c.isdigit() for c in cells) and len(set(cells)) == len(cells):
            found.add(index)
    return found


def header_row_count(rows: list[list[str]]) -> int:
    """How many of `rows` (the non-blank rows of a sheet as text, the header first) are header rows: 1 to 3."""
    count = 1
    header = rows[0] if rows else []
    while count < min(MAX_HEADER_ROWS, len(rows) - 1):
        row = rows[count]
        below = rows[count + 1:count + 1 + SAMPLE]
        if any(_IMPORT_ID.match(cell) for cell in row):
            count += 1
            continue
        repeats = any(cell and index < len(header) and header[index] and _key(cell) == _key(header[index])
                      for index, cell in enumerate(row))
        ids = _numeric_id_columns(below)
        present = [cell.strip() for cell in row if cell.strip()]
        header_like = any(cell.casefold() in _PLACEHOLDERS for cell in present) or (
            bool(present) and sum(len(cell) for cell in present) / len(present) >= QUESTION_LENGTH)
        above_ids = bool(ids) and any(not (row[i] if i < len(row) else "").isdigit() for i in ids) \
            and not any(_NUMBER.match(cell) for cell in present) and header_like
        if repeats or above_ids:
            count += 1
            continue
        break
    return count


def column_labels(headers: list[list[str]], width: int) -> list[str]:
    """A label per column from the header rows: the question text, or the first row's name.

    A question heading several columns in the first row (SurveyMonkey leaves the cells after it empty) is
    carried over to them when a later row names their options.
    """
    first = [(headers[0][i] if i < len(headers[0]) else "") for i in range(width)] if headers else [""] * width
    later = [[(row[i] if i < len(row) else "") for i in range(width)] for row in headers[1:]]
    labels = []
    carried = ""
    for index in range(width):
        extra = next((row[index].strip() for row in later
                      if row[index].strip() and not _IMPORT_ID.match(row[index])), "")
        name = first[index].strip()
        if name:
            carried = name
        elif extra and carried:
            name = carried
        if not extra or _key(extra) == _key(name) or extra.casefold() in _PLACEHOLDERS:
            labels.append(name)
        elif not name or (first[index].strip() and _CODE.match(name)):
            labels.append(extra)
        else:
            labels.append(f"{name} - {extra}")
    return labels
