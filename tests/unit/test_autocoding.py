"""Autocoding in the core: speakers, search hits, previews that write nothing, batch apply/remove/restore."""

from __future__ import annotations

import pytest

from qcode.core.autocode import snap_to_words, speaker_ranges, widen
from qcode.core.errors import InvalidQueryError, NotFoundError
from qcode.core.model import NewCoding, Span
from qcode.core.project import Project

# fictional interview, written for these tests
TEXT = ("Interviewer: How did you find help?\n\n"
        "Marcus: Mostly my mates. The club helped too.\n\n"
        "Interviewer: And your family?\n\n"
        "Marcus: Not really. I don't ask them.\n\nThey worry enough.")


def _snapshot(project: Project) -> tuple:
    codings = sorted((c.id, c.source_id, c.code_id, c.coder_id, c.start, c.end, c.guid)
                     for s in project.sources() for c in project.codings_for_source(s.id))
    counts = [(r.code_id, r.own.excerpts, r.own.characters, r.total.excerpts) for r in project.frequencies()]
    return codings, counts


def test_speakers_are_listed_with_their_turns(project: Project) -> None:
    s = project.add_source("Interview", TEXT)
    project.add_source("Other", "Ana: hello there\n\nBo: hi\n\nAna: bye")
    assert project.speakers() == [("Ana", 2), ("Bo", 1), ("Interviewer", 2), ("Marcus", 2)]
    assert project.speakers([s.id]) == [("Interviewer", 2), ("Marcus", 2)]


def test_speaker_autocoding_units(project: Project) -> None:
    s = project.add_source("Interview", TEXT)
    turns = project.autocode_ranges(speakers=["marcus"], unit="turn")
    assert [project.source_slice(*r) for r in turns] == [
        "Mostly my mates. The club helped too.", "Not really. I don't ask them.\n\nThey worry enough."]
    paragraphs = project.autocode_ranges(speakers=["Marcus"], unit="paragraph")
    assert [project.source_slice(*r) for r in paragraphs][-2:] == ["Not really. I don't ask them.", "They worry enough."]
    sentences = project.autocode_ranges(speakers=["Marcus"], unit="sentence", source_ids=[s.id])
    assert [project.source_slice(*r) for r in sentences] == [
        "Mostly my mates.", "The club helped too.", "Not really.", "I don't ask them.", "They worry enough."]
    with pytest.raises(InvalidQueryError):
        project.autocode_ranges(speakers=["Marcus"], keywords=["help"])
    with pytest.raises(InvalidQueryError):
        speaker_ranges(TEXT, [], [" "], "turn")


def test_preview_writes_nothing_and_equals_what_is_applied(project: Project) -> None:
    project.add_source("Interview", TEXT)
    code = project.create_code("Help")
    before = _snapshot(project)
    ranges = project.autocode_ranges(keywords=["help", "helped"], unit="sentence")
    plan = project.plan_codings(code.id, ranges)
    assert _snapshot(project) == before
    assert [(p.start, p.end) for p in plan] == [(r[1], r[2]) for r in ranges]
    added = project.apply_codings(plan)
    assert [(c.source_id, c.start, c.end, c.code_id) for c in added] == [
        (p.source_id, p.start, p.end, p.code_id) for p in plan]
    assert project.plan_codings(code.id, ranges) == []  # all of it is coded now


def test_batch_apply_remove_restore_is_exact(project: Project) -> None:
    s = project.add_source("Interview", TEXT)
    code = project.create_code("Help")
    project.add_coding(s.id, code.id, 0, 11)
    empty = _snapshot(project)
    batch = [NewCoding(s.id, code.id, 0, 11), NewCoding(s.id, code.id, 40, 50), NewCoding(s.id, code.id, 40, 50)]
    added = project.apply_codings(batch)
    assert len(added) == 1  # the existing one and the repeat are skipped
    after = _snapshot(project)
    removed = project.remove_codings([c.id for c in added])
    assert _snapshot(project) == empty
    project.restore_codings(removed)
    assert _snapshot(project) == after
    assert project.check() == []
    with pytest.raises(NotFoundError):
        project.remove_codings([999])


def test_search_ranges_widen_hits(project: Project) -> None:
    s = project.add_source("Interview", TEXT)
    hits = project.search_ranges("help*", unit="hit")
    assert [project.source_slice(*r) for r in hits] == ["help", "helped"]
    sentences = project.search_ranges("club", unit="sentence", source_ids=[s.id])
    assert [project.source_slice(*r) for r in sentences] == ["The club helped too."]
    assert project.search_ranges("club", source_ids=[]) == []


def test_passages_describe_location_and_text(project: Project) -> None:
    s = project.add_source("Interview", TEXT)
    ranges = project.autocode_ranges(keywords=["worry"], unit="paragraph")
    (passage,) = project.passages(ranges)
    assert (passage.source_id, passage.source_name, passage.text) == (s.id, "Interview", "They worry enough.")
    assert passage.location == project.describe_location(s.id, passage.start)
    (club,) = project.passages(project.autocode_ranges(keywords=["club"]), context=12)
    assert (club.before, club.text, club.after) == ("…mates. The ", "club", " helped too.")
    long = project.passages([(s.id, 0, len(TEXT))], chars=20)[0]
    assert long.text.endswith("…")
    assert len(long.text) <= 21


def test_widen_and_snap_to_words() -> None:
    text = "Al: I don't know, well-being first."
    spans = [Span("paragraph", 0, len(text)), Span("turn", 0, len(text), "Al")]
    assert widen(text, spans, [(8, 10)], "turn") == [(4, len(text))]
    assert snap_to_words(text, 7, 9) == (6, 11)  # "on" inside "don't"
    assert snap_to_words(text, 20, 24) == (18, 28)  # "l-be" inside "well-being"
    assert snap_to_words(text, 11, 13) == (12, 16)  # " k" after "don't": the space dropped, "know" completed
    assert snap_to_words(text, 16, 18) == (16, 17)  # ", ": the comma kept, nothing widened
    assert snap_to_words(text, 4, 5) == (4, 5)


def test_snap_to_words_through_the_project(project: Project) -> None:
    s = project.add_source("S", "😀 crack on")
    assert project.snap_to_words(s.id, 3, 5) == (2, 7)
