"""The storage behind fast analyses: the coder index's migration step, and exact aggregates after batches."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qcode.core.analysis.frequencies import Grouping
from qcode.core.model import Filter, NewCoding
from qcode.core.project import Project
from qcode.core.store import migrations
from tests.recount import recount
from tests.schema_versions import make_older, schema_at


def _indexes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        conn.close()


def _schema(conn: sqlite3.Connection) -> list[tuple]:
    return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))


def test_a_version_3_file_gets_the_analysis_storage(tmp_path: Path) -> None:
    path = tmp_path / "v3.qcode"
    with Project.create(path) as project:
        source = project.add_source("Int", "Al: I keep it in. Mates help though.")
        code = project.create_code("Coping")
        child = project.create_code("Pride", parent_id=code.id)
        project.add_coding(source.id, code.id, 4, 17)
        project.add_coding(source.id, child.id, 10, 30)
        project.add_coding(source.id, code.id, 19, 36, coder_id=project.ensure_coder("Second").id)
    make_older(path, 3)  # the file steps 1 to 3 made
    conn = sqlite3.connect(path)
    fresh = schema_at(3)
    assert _schema(conn) == _schema(fresh)
    fresh.close()
    conn.close()
    assert "coding_coder_code" not in _indexes(path)
    with Project.open(path) as project:
        assert project.check() == []  # the new aggregates were filled by the step, and agree with a recount
        tester = next(c.id for c in project.coders() if c.name == "Tester")
        from qcode.core.model import Filter

        assert [(r.path, r.total.excerpts, r.total.characters) for r in project.frequencies(
            Filter(coders=(tester,)))] == [("Coping", 2, 26), ("Coping/Pride", 1, 20)]
        result = project.matrix(columns=Grouping("coder"))
        assert [c.label for c in result.columns] == ["Second", "Tester"]
        assert [(r.cells, r.total) for r in result.rows] == [((1, 2), 3), ((0, 1), 1)]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    plan = conn.execute("EXPLAIN QUERY PLAN SELECT code_id, coder_id, count(*) FROM coding "
                        "GROUP BY coder_id, code_id").fetchall()
    conn.close()
    assert {"coding_coder_code", "code_source_stat_cover", "code_coder_stat_coder"} <= _indexes(path)
    assert any("COVERING INDEX coding_coder_code" in str(row) for row in plan)


def test_batches_keep_every_aggregate_exact(project: Project) -> None:
    text = "Al: words and more words here. " * 20
    sources = [project.add_source(f"S{i}", text).id for i in range(3)]
    top = project.create_code("Top").id
    leaf = project.create_code("Leaf", parent_id=top).id
    case = project.create_case("Al").id
    project.add_case_member(case, sources[0])
    project.add_case_member(case, sources[1], 10, 90)
    other = project.ensure_coder("Other").id
    batch = [NewCoding(s, code, start, start + 15, coder) for s in sources for code in (top, leaf)
             for start in range(0, 400, 37) for coder in (None, other)]
    added = project.apply_codings(batch)
    assert len(added) == len(batch)
    assert project.check() == []
    assert {r.code_id: (r.own, r.total) for r in project.frequencies()} == recount(project)
    project.remove_codings([c.id for c in added[::3]])
    assert project.check() == []
    assert {r.code_id: (r.own, r.total) for r in project.frequencies()} == recount(project)


def test_tables_of_whole_sources_from_the_aggregates_equal_the_count_from_the_rows(project: Project, monkeypatch) -> None:
    from qcode.core.analysis import frequencies as freq
    from qcode.core.model import Filter

    text = "Al: words and more words here. " * 10
    folder = project.create_folder("Batch").id
    sources = [project.add_source(f"S{i}", text, folder_id=folder if i % 2 else None).id for i in range(4)]
    top = project.create_code("Top").id
    leaf = project.create_code("Leaf", parent_id=top).id
    alone = project.create_code("Alone").id
    kind = project.create_attribute("Kind", "choice", scope="source", choices=("a", "b")).id
    for number, source in enumerate(sources):
        project.set_attribute_value(kind, source, "ab"[number % 2])
    for number, name in enumerate(("Al", "Bo")):
        case = project.create_case(name).id
        project.add_case_member(case, sources[number])
        project.add_case_member(case, sources[2])  # a source shared by two cases
    project.add_codings(NewCoding(s, code, start, start + 25, coder) for s in sources for code in (top, leaf, alone)
                        for start in range(s % 3, 250, 41) for coder in (None, project.ensure_coder("Bo").id))
    bo = project.ensure_coder("Bo").id
    asks = [(Filter(folders=(folder,)), None), (Filter(sources=(sources[0], sources[2])), None),
            (Filter(attributes=((kind, "a"),)), None), (Filter(), Grouping("source")),
            (Filter(coders=(bo,)), None), (Filter(), Grouping("coder"))]
    fast = [project.frequencies(flt, group_by=grouping) for flt, grouping in asks]
    assert freq._fast_source_scope(project._store.read, *asks[0]) is not None  # the aggregates answered
    assert freq._fast_coders(project._store.read, *asks[4]) is not None
    monkeypatch.setattr(freq, "_fast_source_scope", lambda *args: None)
    monkeypatch.setattr(freq.matrix_reads, "has_ranged_members", lambda *args: True)  # no reading by source
    monkeypatch.setattr(freq, "_fast_coders", lambda *args: None)
    assert fast == [project.frequencies(flt, group_by=grouping) for flt, grouping in asks]


def test_check_recounts_the_per_coder_aggregates(tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    with Project.create(path) as project:
        source = project.add_source("Int", "Al: I keep it in. Mates help though.")
        code = project.create_code("Coping")
        project.add_coding(source.id, code.id, 4, 17)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE code_coder_stat SET characters = characters + 1 WHERE tree = 0")
    conn.commit()
    conn.close()
    with Project.open(path) as project:
        assert project.check() == ["2 rows of the frequency aggregates are out of date"]  # the stored and the recount


def test_a_batch_over_every_case_keeps_the_sums_by_value_exact(project: Project) -> None:
    from qcode.core.analysis import frequencies as freq

    age = project.create_attribute("Age", "number").id
    top = project.create_code("Top").id
    leaf = project.create_code("Leaf", parent_id=top).id
    sources = []
    for number in range(24):  # more values than the per-value path takes
        source = project.add_source(f"S{number}", "Al: words and more words here. " * 4).id
        case = project.create_case(f"P{number}").id
        project.add_case_member(case, source)
        project.set_attribute_value(age, case, 20 + number)
        sources.append(source)
    project.add_coding(sources[0], leaf, 0, 10)
    added = project.apply_codings(NewCoding(s, leaf, 4, 20) for s in sources)
    assert project.check() == []
    table = project.frequencies(group_by=Grouping("attribute", age))
    assert [(r.group, r.total.excerpts) for r in table if r.code_id == top][:2] == [("20", 2), ("21", 1)]
    project.remove_codings([c.id for c in added[:12]])
    assert project.check() == []
    assert freq._fast_case_groups(project._store.read, Filter(), Grouping("attribute", age)) is not None
