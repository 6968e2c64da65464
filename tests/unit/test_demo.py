"""The demo project: built from the fictional material, complete, deterministic, and loud about broken anchors."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qcode.core import demo
from qcode.core.errors import ProjectExistsError
from qcode.core.project import Project

QCODE = Path(sys.executable).parent / "qcode"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.qcode"
    demo.build_demo(path)
    return path


def test_demo_has_the_promised_material(built: Path) -> None:
    with Project.open(built, mode="read") as p:
        sources = p.sources()
        interviews = [s for s in sources if p.folder_path(s.folder_id) in ("Interviews", "Focus groups")]
        literature = [s for s in sources if p.folder_path(s.folder_id) == "Literature"]
        assert 8 <= len(interviews) <= 12
        assert 4 <= len(literature) <= 6
        for source in interviews:
            words = len(p.source_text(source.id).split())
            assert 1500 <= words <= 4000, (source.name, words)
            assert p.spans(source.id, "turn"), source.name
            assert p.source_text(source.id).startswith("FICTIONAL DEMO MATERIAL")
        tops = [c for c in p.codes() if c.parent_id is None]
        assert [c.name for c in tops] == ["Gender socialization", "Help-seeking preferences", "Peer relationships"]
        for top in tops:
            children = p.children(top.id)
            assert 3 <= len(children) <= 6
            for child in children:
                assert all((child.definition, child.inclusion, child.exclusion, child.example)), child.name
        assert len(p.cases()) >= 10
        assert len(p.attributes("case")) >= 3
        assert {c.name for c in p.coders()} >= {"Jordan", "Amira"}
        assert p.coding_count() >= 300
        by_coder = {c.name: len(p.codings_for_coder(c.id)) for c in p.coders()}
        assert by_coder["Jordan"] > 100
        assert by_coder["Amira"] > 100
        assert p.journal()
        assert len(p.memos()) >= 8
        assert p.check() == []


def test_focus_group_members_are_ranges_of_their_turns(built: Path) -> None:
    with Project.open(built, mode="read") as p:
        fg = p.find_source("Focus groups/Focus group - Walk and talk")
        danny = p.find_case("Danny")
        members = p.case_members(danny.id)
        assert members
        text = p.source_text(fg.id)
        assert all(text[m.start:m.end].startswith("Danny:") for m in members)


def test_two_builds_are_identical(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.qcode"
    demo.build_demo(again)
    assert hashlib.sha256(again.read_bytes()).hexdigest() == hashlib.sha256(built.read_bytes()).hexdigest()


def test_demo_refuses_to_overwrite(built: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.qcode"
    path.write_text("my work")
    with pytest.raises(ProjectExistsError):
        demo.build_demo(path)
    assert path.read_text() == "my work"
    demo.build_demo(path, force=True)
    with Project.open(path, mode="read") as p:
        assert p.coding_count() > 0


def test_missing_anchor_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    material = tmp_path / "material"
    shutil.copytree(demo.demo_folder(), material)
    first = sorted(material.glob("codings_*.json"))[0]
    data = json.loads(first.read_text(encoding="utf-8"))
    data["codings"][0]["anchor"] = "a phrase that appears nowhere in the transcripts"
    first.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(demo, "demo_folder", lambda: material)
    with pytest.raises(demo.DemoMaterialError, match="a phrase that appears nowhere"):
        demo.build_demo(tmp_path / "broken.qcode")
    assert not (tmp_path / "broken.qcode").exists()


def test_demo_then_stats_through_the_command(tmp_path: Path) -> None:
    path = tmp_path / "demo.qcode"
    built = subprocess.run([str(QCODE), "demo", str(path)], capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    stats = subprocess.run([str(QCODE), "stats", str(path)], capture_output=True, text=True, timeout=60)
    assert stats.returncode == 0, stats.stderr
    lines = stats.stdout.splitlines()
    assert lines[0].split() == ["code", "excerpts", "sources", "cases", "characters", "coverage"]
    assert any(line.startswith("Gender socialization") for line in lines)
    again = subprocess.run([str(QCODE), "demo", str(path)], capture_output=True, text=True, timeout=60)
    assert again.returncode == 1
    assert "already exists" in again.stderr
