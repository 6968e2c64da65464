"""A survey with thousands of respondents stays fast to code: the work grows with the data, not its square.

A survey question is one source holding one member range per respondent, so every query that matches
codings to case members, and autocoding by paragraph, must find the members near a coding instead of
scanning all of them. The SQL work is measured in SQLite virtual-machine steps, which do not depend on the
machine's speed: doubling the respondents may double it, not quadruple it.
"""

from __future__ import annotations

import csv
import random
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from qcode.core import autocode
from qcode.core.analysis.frequencies import Grouping
from qcode.core.importers import ImportOptions, SurveyOptions
from qcode.core.model import Filter, Span
from qcode.core.project import Project

WORDS = ["friends", "walking", "family", "work", "time", "money", "garden", "neighbours", "music", "silence"]


def write_survey(path: Path, respondents: int) -> None:
    """Fictional answers: ids, an age group and a free-text answer of a few words."""
    rng = random.Random(respondents)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["ID", "Group", "What helps?"])
        for i in range(respondents):
            answer = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
            writer.writerow([f"R{i:05d}", rng.choice(["18-29", "30-49", "50+"]), f"{answer}.\nfriends too"])


def vm_steps(project: Project, action: Callable[[], object]) -> int:
    """SQLite virtual-machine steps (in thousands) that an action costs on the project's connection."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    conn = project._store.conn
    conn.set_progress_handler(count, 1000)
    try:
        action()
    finally:
        conn.set_progress_handler(None, 0)
    return steps


def survey_work(tmp_path: Path, respondents: int) -> dict[str, int]:
    path = tmp_path / f"survey-{respondents}.csv"
    write_survey(path, respondents)
    options = ImportOptions(survey=SurveyOptions("ID", ("What helps?",), ("Group",)))
    work: dict[str, int] = {}
    with Project.create(tmp_path / f"survey-{respondents}.qcode") as project:
        work["import"] = vm_steps(project, lambda: project.import_file(path, options=options))
        source = project.sources()[0]
        friends = project.create_code("Friends")
        walking = project.create_code("Walking")
        plan = project.autocode_preview(friends.id, keywords=["friends"], unit="paragraph")
        assert len(plan) == respondents
        work["autocode"] = vm_steps(project, lambda: project.add_codings(plan))  # the bulk path
        few = project.autocode_preview(walking.id, keywords=["walking"], unit="hit")[:50]
        work["code_50"] = vm_steps(project, lambda: [project.add_coding(c.source_id, c.code_id, c.start, c.end)
                                                     for c in few])  # one at a time, as a coder does
        group = project.find_attribute("Group")
        by_group = Grouping("attribute", group.id)
        rows: list = []
        work["by_group"] = vm_steps(project, lambda: rows.extend(project.frequencies(group_by=by_group)))
        assert sum(r.own.excerpts for r in rows if r.code_id == friends.id) == respondents
        assert {r.own.sources for r in rows} == {1}
        filtered = Filter(attributes=((group.id, "50+"),))
        work["filter"] = vm_steps(project, lambda: project.frequencies(filtered))
        work["cases_of"] = vm_steps(project, lambda: project.cases_of_codings(Filter(sources=(source.id,))))
        assert project.check() == []
    return work


def test_survey_work_grows_linearly_with_respondents(tmp_path: Path) -> None:
    small = survey_work(tmp_path, 1500)
    large = survey_work(tmp_path, 3000)
    for name in small:
        # twice the respondents: at most about twice the work (quadratic work would be four times)
        assert large[name] <= 2.6 * small[name] + 50, (name, small[name], large[name])


def test_autocoding_thousands_of_paragraphs_is_quick() -> None:
    answers = [f"answer {i} talks about friends and walking" for i in range(20_000)]
    text = "\n\n".join(answers)
    spans, position = [], 0
    for index, answer in enumerate(answers):
        spans.append(Span("paragraph", position, position + len(answer)))
        spans.append(Span("turn", position, position + len(answer), f"R{index}"))
        position += len(answer) + 2
    regex = autocode.compile_pattern(keywords=["friends"])
    started = time.perf_counter()
    for unit in ("paragraph", "turn", "sentence"):
        assert len(autocode.find_ranges(text, spans, regex, unit)) == 20_000
    assert time.perf_counter() - started < 5  # a scan of all spans per hit took minutes


SPANS = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 15), st.sampled_from(["paragraph", "turn"]),
              st.sampled_from([None, "Ann", "Bo"])),
    max_size=25,
)


@given(SPANS, st.lists(st.tuples(st.integers(0, 80), st.integers(1, 6)), max_size=10))
def test_unit_lookup_matches_a_plain_scan(raw: list, hits: list) -> None:
    spans = sorted((Span(kind, start, start + length, value) for start, length, kind, value in raw),
                   key=lambda s: (s.start, s.kind))
    for kind in ("paragraph", "turn"):
        units = [s for s in spans if s.kind == kind]
        lookup = autocode._Units(units)
        for start, length in hits:
            assert lookup.containing(start, start + length) == autocode._containing(units, start, start + length)
            plain = [s for s in units if s.start < start + length and s.end > start]
            assert lookup.overlapping(start, start + length) == plain


def test_ten_thousand_respondents_import_in_seconds_and_stay_fast_to_code(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    write_survey(path, 10_000)
    options = ImportOptions(survey=SurveyOptions("ID", ("What helps?",), ("Group",)))
    with Project.create(tmp_path / "large.qcode") as project:
        started = time.perf_counter()
        assert project.import_file(path, options=options).status == "imported"
        imported = time.perf_counter() - started
        code = project.create_code("Friends")
        started = time.perf_counter()
        project.add_codings(project.autocode_preview(code.id, keywords=["friends"], unit="paragraph"))
        source = project.sources()[0]
        project.add_coding(source.id, code.id, 0, 5)
        rows = project.frequencies(group_by=Grouping("attribute", project.find_attribute("Group").id))
        coded = time.perf_counter() - started
    assert sum(r.own.excerpts for r in rows) == 10_001
    # generous bounds for a busy machine; this took minutes when each coding scanned every respondent
    assert imported < 15, f"import took {imported:.1f} s"
    assert coded < 15, f"coding took {coded:.1f} s"
