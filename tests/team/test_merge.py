"""Merging another coder's project: matching, additions, conflicts and their rules, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcode.core.errors import InvalidOperationError, InvalidRequestError, NotFoundError
from qcode.core.model import Filter, NewCoding
from qcode.core.project import Project

TEXT = "Ana: We talk at the club.\n\nBo: Not with my father.\n\nAna: Mates help."
EXTRA = "Notes from the second site.\n\nThey met weekly."


def snapshot(project: Project) -> dict:
    return {
        "sources": sorted((s.name, s.sha256) for s in project.sources()),
        "codes": sorted((project.code_path(c.id), c.definition, c.guid) for c in project.codes()),
        "codings": sorted((c.source_id, c.code_id, c.coder_id, c.start, c.end) for c in project.codings(Filter())),
        "cases": sorted((c.name, tuple(sorted((m.source_id, m.start or 0) for m in project.case_members(c.id))),
                         tuple(sorted(project.attribute_values("case", c.id).items()))) for c in project.cases()),
        "memos": sorted((m.id, m.target_kind, m.target_id, m.text, m.updated_at, m.coder_id)
                        for m in project.memos(everyone=True)),
        "coders": sorted((c.id, c.name, project.coder_guids()[c.id]) for c in project.coders()),
        "attributes": sorted((a.scope, a.name) for a in project.attributes()),
    }


@pytest.fixture
def pair(tmp_path: Path):
    """Two projects made apart (so every identity differs) on the same interview."""
    paths = []
    for who, definition, site in (("Ana", "Support between peers.", "North"), ("Ben", "Help from friends.", "South")):
        path = tmp_path / f"{who}.qcode"
        with Project.create(path) as project:
            project.use_coder(who)
            source = project.add_source("Interview 1", TEXT, folder_id=project.ensure_folder_path("Round 1").id)
            parent = project.create_code("Support", definition=definition)
            child = project.create_code("Peers", parent_id=parent.id)
            project.add_coding(source.id, child.id, 27, 49)
            project.add_coding(source.id, parent.id, 0, 25)
            case = project.create_case("Ana")
            project.add_case_member(case.id, source.id, 0, 25)
            site_attribute = project.create_attribute("Site", "text")
            project.set_attribute_value(site_attribute.id, case.id, site)
            project.set_memo("code", parent.id, f"{who}'s thoughts on support.")
            if who == "Ben":
                extra = project.add_source("Site notes", EXTRA)
                project.add_coding(extra.id, child.id, 0, 5)
                project.add_range_memo(source.id, 0, 3, "A name.")
                coding = project.add_coding(source.id, parent.id, 51, 67)
                project.set_memo("coding", coding.id, "Mates as help.")
                project.create_code("Family", parent_id=parent.id, definition="Kin.")
        paths.append(path)
    return paths


def test_conflicts_without_a_choice_change_nothing(pair) -> None:
    ana, ben = pair
    with Project.open(ana) as project:
        before = snapshot(project)
        report = project.merge_project(ben)
        assert not report.applied
        assert [(c.subject, c.field, c.ours, c.theirs) for c in report.needs_choice] == [
            ("Support", "definition", "Support between peers.", "Help from friends."),
            ("Ana", "Site", "North", "South"),
        ]
        assert any("need a choice" in line for line in report.lines())
        assert snapshot(project) == before


def test_merge_with_a_rule(pair) -> None:
    ana, ben = pair
    with Project.open(ana) as project:
        report = project.merge_project(ben, prefer="ours")
        assert report.applied
        assert report.sources_matched == 1
        assert report.sources_added == ["Site notes"]
        assert report.codes_matched == 2
        assert report.codes_added == ["Support/Family"]
        assert report.coders_added == ["Ben"]
        assert report.codings_added == 4  # Ben's three codings of the interview ... and one of the new source
        assert report.codings_present == 0
        assert [c.resolution for c in report.conflicts] == ["ours", "ours"]
        support = project.find_code("Support")
        assert support.definition == "Support between peers."
        assert project.find_code("Support/Family").definition == "Kin."
        ben_id = next(c.id for c in project.coders() if c.name == "Ben")
        assert len([c for c in project.codings(Filter()) if c.coder_id == ben_id]) == 4
        memo = project.memo("code", support.id).text
        assert memo.startswith("Ana's thoughts on support.")
        assert memo.endswith("Ben's thoughts on support.")
        assert [m.text for m in project.range_memos(project.find_source("Round 1/Interview 1").id)] == ["A name."]
        assert "Mates as help." in [m.text for m in project.memos() if m.target_kind == "coding"]
        case = project.find_case("Ana")
        assert project.attribute_values("case", case.id) == {"Site": "North"}
        assert project.check() == []
        # merging again adds nothing: codings are known by identity, memos by their text
        again = project.merge_project(ben, prefer="ours")
        assert (again.codings_added, again.codings_present) == (0, 4)
        assert again.sources_added == []
        assert again.codes_added == []
        assert again.memos_added == again.memos_appended == 0


def test_choices_per_conflict_and_unmerge(pair) -> None:
    ana, ben = pair
    with Project.open(ana) as project:
        before = snapshot(project)
        preview = project.merge_project(ben, dry_run=True)
        assert not preview.applied
        assert snapshot(project) == before
        choices = {c.key: "theirs" for c in preview.conflicts}
        report = project.merge_project(ben, choices=choices)
        assert report.applied
        assert project.find_code("Support").definition == "Help from friends."
        assert project.attribute_values("case", project.find_case("Ana").id) == {"Site": "South"}
        merged = snapshot(project)
        project.unmerge(report.record)
        after = snapshot(project)
        assert after == before  # Ben, whom the merge added, is gone; Ana's memo is hers again, as it was
        assert project.check() == []
        assert merged != before
        assert [c.name for c in project.coders()] == ["Ana"]


def test_a_coder_with_codings_or_memos_stays(pair) -> None:
    ana, ben = pair
    with Project.open(ana) as project:
        report = project.merge_project(ben, prefer="ours")
        added = project.coders()[1]
        assert added.name == "Ben"
        assert project.coder_in_use(added.id)
        with pytest.raises(InvalidOperationError):
            project.remove_coder(added.id)
        later = project.add_coding(project.find_source("Interview 1").id, project.codes()[0].id, 0, 3,
                                   coder_id=added.id)
        project.unmerge(report.record)  # Ben coded here after the merge: he stays, with that coding
        assert [c.name for c in project.coders()] == ["Ana", "Ben"]
        assert [c.id for c in project.codings(Filter(coders=(added.id,)))] == [later.id]
        project.remove_codings([later.id])
        project.remove_coder(added.id)
        assert [c.name for c in project.coders()] == ["Ana"]
        with pytest.raises(NotFoundError):
            project.remove_coder(added.id)


def test_identity_wins_over_names(tmp_path: Path) -> None:
    first = tmp_path / "first.qcode"
    with Project.create(first) as project:
        project.use_coder("Ana")
        source = project.add_source("S", TEXT)
        code = project.create_code("Trust")
        project.add_coding(source.id, code.id, 0, 5)
    second = tmp_path / "second.qcode"
    with Project.open(first) as project:
        project.save_copy(second)
    with Project.open(second) as copy:
        code = copy.find_code("Trust")
        copy.rename_code(code.id, "Confidence")
        copy.rename_coder(copy.coders()[0].id, "Ana Silva")
        copy.add_coding(copy.sources()[0].id, code.id, 6, 10, coder_id=copy.coders()[0].id)
    with Project.open(first) as project:
        report = project.merge_project(second)
        assert report.applied
        assert report.codes_added == []
        assert report.coders_added == []
        assert any("'Confidence' is 'Trust' here" in note for note in report.notes)
        assert [c.name for c in project.codes()] == ["Trust"]
        assert len(project.coders()) == 1
        assert report.codings_added == 1


def test_refusals(pair, tmp_path: Path) -> None:
    ana, _ = pair
    with Project.open(ana) as project:
        with pytest.raises(InvalidRequestError):
            project.merge_project(ana)
        with pytest.raises(InvalidRequestError):
            project.merge_project(pair[1], prefer="both")


def test_a_merge_tells_subscribers_once_per_subject(pair) -> None:
    ana, ben = pair
    with Project.open(ana) as project:
        heard = []
        project.subscribe(heard.append)
        project.merge_project(ben)  # conflicts: rolled back, nothing to tell
        assert heard == []
        report = project.merge_project(ben, prefer="theirs")
        kinds = [c.kind for c in heard]
        assert len(kinds) == len(set(kinds))
        assert {"source", "code", "coding", "attribute", "memo"} <= set(kinds)
        assert all(c.ids == () for c in heard)
        heard.clear()
        project.unmerge(report.record)
        assert len(heard) == len({c.kind for c in heard})


codings_spec = st.lists(st.tuples(st.sampled_from(["Trust", "Trust/Doubt", "Risk"]), st.integers(0, 40),
                                  st.integers(1, 20)), max_size=8)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ours=codings_spec, theirs=codings_spec)
def test_merged_codings_are_the_union_and_merging_again_adds_nothing(tmp_path_factory, ours, theirs) -> None:
    folder = tmp_path_factory.mktemp("union")
    paths = []
    for who, spec in (("Ana", ours), ("Ben", theirs)):
        path = folder / f"{who}.qcode"
        with Project.create(path) as project:
            project.use_coder(who)
            source = project.add_source("Interview", TEXT)
            for code_path, start, length in spec:
                parent = None
                for part in code_path.split("/"):
                    found = [c for c in project.children(parent) if c.name == part]
                    parent = found[0].id if found else project.create_code(part, parent_id=parent).id
                project.apply_codings([NewCoding(source.id, parent, start, min(start + length, len(TEXT)))])
        paths.append(path)

    def keys(project: Project) -> set[tuple[str, str, int, int]]:
        names = {c.id: c.name for c in project.coders()}
        return {(names[c.coder_id], project.code_path(c.code_id), c.start, c.end) for c in project.codings(Filter())}

    with Project.open(paths[1], mode="read") as other:
        expected_theirs = keys(other)
    with Project.open(paths[0]) as project:
        expected = keys(project) | expected_theirs
        report = project.merge_project(paths[1])
        assert report.applied
        assert keys(project) == expected
        assert report.codings_added == len(expected_theirs)
        assert project.check() == []
        again = project.merge_project(paths[1])
        assert again.codings_added == 0
        assert keys(project) == expected


def test_large_merges_recompute_every_aggregate(pair, monkeypatch: pytest.MonkeyPatch) -> None:
    from qcode.core.project import team

    monkeypatch.setattr(team, "BULK_CODINGS", 0)  # every batch counts as large here
    ana, ben = pair
    with Project.open(ana) as project:
        report = project.merge_project(ben, prefer="theirs")
        assert report.codings_added == 4
        assert project.check() == []
        assert sum(r.own.excerpts for r in project.frequencies()) == 6
        project.unmerge(report.record)
        assert project.check() == []
        assert sum(r.own.excerpts for r in project.frequencies()) == 2
