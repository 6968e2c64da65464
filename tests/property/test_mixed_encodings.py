"""Text that mixes UTF-8 with lines in another encoding: every line that is valid UTF-8 comes back exactly,
at its place, whatever the other lines hold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qcode.core.importers.text import decode, decoding_notes

# lines without line ends or control characters; the odd ones hold letters that cp1252 encodes
UTF8_LINE = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\n\r\x85\u2028\u2029"),
                    max_size=40)
def _not_utf8(line: str) -> bool:
    try:
        line.encode("cp1252").decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False  # such bytes read as (other) UTF-8 text: no decoder can tell


CP1252_LINE = st.text(st.sampled_from("abc XYZ.,éèàçñöüßÉÖ€’“”—"), min_size=1, max_size=40).filter(_not_utf8)


@given(st.lists(st.tuples(st.booleans(), UTF8_LINE, CP1252_LINE), min_size=1, max_size=12),
       st.text(st.sampled_from("åäöłęπλ日本"), min_size=1, max_size=8))
def test_valid_utf8_lines_survive_beside_odd_ones(rows: list[tuple[bool, str, str]], anchor: str) -> None:
    lines = [f"Anchor line {anchor}"]  # one line that is UTF-8 beyond ASCII, so the file reads as UTF-8
    raw = [lines[0].encode("utf-8")]
    odd = []
    for is_odd, utf8_line, cp1252_line in rows:
        if is_odd:
            odd.append(len(lines) + 1)
            raw.append(cp1252_line.encode("cp1252"))
            lines.append(cp1252_line)
        else:
            raw.append(utf8_line.encode("utf-8"))
            lines.append(utf8_line)
    with decoding_notes() as notes:
        text = decode(b"\n".join(raw), "mixed.txt")
    decoded = text.split("\n")
    assert len(decoded) == len(lines)
    for number, (got, wanted) in enumerate(zip(decoded, lines, strict=True), start=1):
        if number not in odd:
            assert got == wanted
    if odd:
        assert notes
        assert f"except {len(odd)} line" in notes[0]
