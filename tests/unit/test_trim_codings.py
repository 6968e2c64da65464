"""A coding made by a gesture never starts or ends with white space; imports keep their offsets exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcode.cli import main
from qcode.core.autocode import trim_whitespace
from qcode.core.errors import InvalidRequestError
from qcode.core.project import Project

TEXT = "Interviewer: How do you cope?\n\nAl:   I keep it to myself.  \n\nInterviewer: ok"


@given(st.text(alphabet=" \n\tab😀\u00a0", max_size=30), st.integers(0, 30), st.integers(0, 30))
def test_trim_whitespace_drops_only_edges(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    trimmed = trim_whitespace(text, start, end)
    if not text[start:end].strip():
        assert trimmed is None
        return
    assert trimmed is not None
    lo, hi = trimmed
    assert start <= lo < hi <= end
    assert text[lo:hi] == text[start:end].strip()


def test_coding_range_trims_and_refuses_white_space(project: Project) -> None:
    source = project.add_source("Al", TEXT)
    start = TEXT.index("   I keep")
    end = TEXT.index("\n\nInterviewer: ok")
    assert project.coding_range(source.id, start, end) == (start + 3, TEXT.index(".  ") + 1)
    with pytest.raises(InvalidRequestError, match="only white space"):
        project.coding_range(source.id, end, end + 2)


def test_qcode_code_trims(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "study.qcode"
    with Project.create(path) as project:
        source = project.add_source("Al", TEXT)
        project.create_code("Coping")
    start = TEXT.index("   I keep")
    assert main(["code", str(path), "--source", "Al", "--code", "Coping", "--start", str(start),
                 "--end", str(start + 12)]) == 0
    with Project.open(path, mode="read") as project:
        [coding] = project.codings_for_source(source.id)
        assert TEXT[coding.start:coding.end] == "I keep it"
    assert main(["code", str(path), "--source", "Al", "--code", "Coping", "--start", "29",
                 "--end", "31"]) == 1
    assert "only white space" in capsys.readouterr().err


def test_autocode_trims_and_imports_keep_offsets(project: Project) -> None:
    source = project.add_source("Al", TEXT)
    ranges = project.autocode_ranges(keywords=("keep",), unit="turn", source_ids=[source.id])
    assert [TEXT[s:e] for _id, s, e in ranges] == ["I keep it to myself."]
    ranges = project.autocode_ranges(pattern=r" I keep ", unit="hit", source_ids=[source.id])
    assert [TEXT[s:e] for _id, s, e in ranges] == ["I keep"]
    code = project.create_code("Exact")
    start = TEXT.index("   I keep")
    kept = project.add_coding(source.id, code.id, start, start + 4)  # the core's own call keeps what it is given
    assert (kept.start, kept.end) == (start, start + 4)


def test_new_sub_codes_take_shades_of_their_parents_colour(project: Project) -> None:
    import colorsys

    def hls(color: str) -> tuple[float, float, float]:
        return colorsys.rgb_to_hls(*(int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)))

    parent = project.create_code("Coping", color="#4e79a7")
    children = [project.create_code(f"Way {i}", parent_id=parent.id) for i in range(5)]
    colors = [c.color for c in children]
    assert len({*colors, parent.color}) == 6  # each its own shade
    for color in colors:
        assert abs(hls(color)[0] - hls(parent.color)[0]) < 0.02  # the parent's hue
    chosen = project.create_code("Chosen", parent_id=parent.id, color="#123456")
    assert chosen.color == "#123456"  # a colour given is kept
