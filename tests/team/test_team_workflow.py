"""The whole team workflow on the demo project: two coders code copies apart, the copies are merged, the
agreement per code matches the reference implementation, and every disagreement is resolved."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from qcode.core.demo import build_demo
from qcode.core.model import Filter, NewCoding
from qcode.core.project import Project
from qcode.core.team.agreement import ALL_CODES, AgreementRequest, compute
from qcode.core.team.review import disagreements, resolution

krippendorff = pytest.importorskip("krippendorff")
np = pytest.importorskip("numpy")


def _code_copy(path: Path, coder: str, seed: int) -> None:
    """A coder's own pass over their copy: every earlier coding removed, then paragraphs coded at random."""
    rng = random.Random(seed)
    with Project.open(path) as project:
        project.use_coder(coder)
        project.remove_codings([c.id for c in project.codings(Filter())])
        leaves = [c.id for c in project.codes() if not project.children(c.id)]
        batch = []
        for source in project.sources():
            for paragraph in project.spans(source.id, "paragraph"):
                if rng.random() < 0.3:
                    # the two coders share a seed for the first choice, so that they agree often
                    code = leaves[(paragraph.start // 7) % len(leaves)] if rng.random() < 0.7 else rng.choice(leaves)
                    end = paragraph.end if rng.random() < 0.8 else paragraph.start + max(1, (paragraph.end -
                                                                                              paragraph.start) // 3)
                    batch.append(NewCoding(source.id, code, paragraph.start, end))
        project.apply_codings(batch)


def test_two_coders_merge_compare_and_resolve(tmp_path: Path) -> None:
    demo = build_demo(tmp_path / "demo.qcode")
    with Project.open(demo) as project:
        first = project.save_copy(tmp_path / "zoe.qcode")
        second = project.save_copy(tmp_path / "yann.qcode")
    _code_copy(first, "Zoe", 1)
    _code_copy(second, "Yann", 2)
    with Project.open(first) as project:
        report = project.merge_project(second)
        assert report.applied
        assert report.sources_added == []
        assert report.codes_added == []
        ids = {c.name: c.id for c in project.coders()}
        zoe, yann = ids["Zoe"], ids["Yann"]
        table = compute(project, AgreementRequest((zoe, yann), unit="paragraph", own=True))
        paragraphs = [(s.id, p.start, p.end) for s in project.sources() for p in project.spans(s.id, "paragraph")]
        checked = 0
        for row in table.rows:
            if row.code_id is None:
                continue
            ratings = np.zeros((2, len(paragraphs)))
            for coding in project.codings_for_code(row.code_id):
                who = 0 if coding.coder_id == zoe else 1
                for i, (source_id, start, end) in enumerate(paragraphs):
                    if source_id == coding.source_id and start < coding.end and end > coding.start:
                        ratings[who, i] = 1
            if ratings.max() == 0:
                assert row.figures.krippendorff_alpha is None
                continue
            expected = krippendorff.alpha(reliability_data=ratings, level_of_measurement="nominal")
            assert row.figures.krippendorff_alpha == pytest.approx(expected)
            assert row.figures.percent_agreement == pytest.approx(100 * np.mean(ratings[0] == ratings[1]))
            checked += 1
        assert checked >= 5
        # every disagreement resolved by accepting Zoe's version: the coders then agree everywhere
        found = disagreements(project, (zoe, yann))
        assert found
        while found:
            plan = resolution(project, found[0], "accept", coder_ids=(zoe, yann), accept=zoe)
            project.remove_codings([c.id for c in plan.remove])
            project.apply_codings(plan.add)
            found = disagreements(project, (zoe, yann))
        after = compute(project, AgreementRequest((zoe, yann), unit="character"))
        pooled = next(r for r in after.rows if r.code == ALL_CODES).figures
        assert pooled.percent_agreement == 100.0
        assert project.check() == []
