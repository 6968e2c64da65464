"""The shared text builder: every paragraph's offsets slice exactly its text, whatever the paragraphs hold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.core.importers.structure import TextBuilder

paragraph = st.text(alphabet=st.sampled_from("ab \n\t😀é李"), max_size=12)
extra = st.lists(st.sampled_from([("turn", "Ana"), ("cell", None), ("timestamp", "00:00:01")]), max_size=2)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(paragraph, st.sampled_from([None, "1", "2"]), extra), max_size=12))
def test_offsets_slice_each_paragraph(items: list[tuple[str, str | None, list[tuple[str, str | None]]]]) -> None:
    builder = TextBuilder()
    placed = [(text, heading, spans, builder.add(text, heading=heading, spans=spans))
              for text, heading, spans in items]
    full = builder.text()
    kept = [text for text in (item[0] for item in items) if text.strip()]
    assert full == "\n\n".join(kept)
    assert builder.position == len(full)
    for text, _heading, _spans, where in placed:
        if not text.strip():
            assert where is None
            continue
        assert where is not None
        assert full[where[0]:where[1]] == text
    all_spans = builder.all_spans()
    assert all_spans == sorted(all_spans, key=lambda s: (s.start, s.kind))
    assert [full[s.start:s.end] for s in all_spans if s.kind == "paragraph"] == kept
    expected_others = sorted(
        [("heading", where[0], heading) for text, heading, _, where in placed if where and heading]
        + [(kind, where[0], value) for text, _, spans, where in placed if where for kind, value in spans])
    assert sorted((s.kind, s.start, s.value) for s in all_spans if s.kind != "paragraph") == expected_others
