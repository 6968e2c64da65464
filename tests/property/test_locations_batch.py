"""Locations described in one pass equal those described span by span."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.core.analysis.locations import describe_many, location_index
from qcode.core.model import Span
from qcode.core.project import Project

TEXT = "x" * 60
spans = st.lists(st.builds(
    lambda kind, start, width, value: Span(kind, start, min(60, start + width), value),
    st.sampled_from(["page", "timestamp", "paragraph", "turn", "heading"]), st.integers(0, 59), st.integers(0, 20),
    st.one_of(st.none(), st.sampled_from(["", "iv", "00:01:02", "Sam"]))), max_size=12)


@settings(max_examples=40, deadline=None)
@given(spans, spans, st.lists(st.tuples(st.integers(0, 1), st.integers(0, 59)), min_size=1, max_size=10))
def test_describe_many_equals_the_per_source_index(first, second, points):
    with tempfile.TemporaryDirectory() as folder, Project.create(Path(folder) / "p.qcode") as project:
        ids = [project.add_source("A", TEXT, spans=first).id, project.add_source("B", TEXT, spans=second).id]
        conn = project._store.read
        asked = [(ids[s], offset) for s, offset in points]
        expected = [location_index(conn, source).describe(offset) for source, offset in asked]
        assert describe_many(conn, asked) == expected
