"""Shared by the REFI-QDA tests: the schemas, the sample files and a project's content by natural keys."""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path

import pytest

from qcode.core.project import Project

HERE = Path(__file__).parent
SAMPLES = Path(__file__).parents[2] / ".." / "shared" / "refi-qda" / "samples"


@cache
def schema(kind: str):
    import xmlschema

    return xmlschema.XMLSchema(str(HERE / "schemas" / f"{kind}-mrt2019.xsd"))


def schema_errors(kind: str, xml: bytes | str) -> list[str]:
    text = xml.decode("utf-8") if isinstance(xml, bytes) else xml
    return [f"{e.reason} at {e.path}" for e in schema(kind).iter_errors(text)]


def qde_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip("the REFI-QDA sample files are not here")
    return path


def content(p: Project) -> dict:
    """Everything a round trip must keep, keyed by names and paths rather than row ids."""
    coder = {c.id: c.name for c in p.coders()}
    code_path = {c.id: p.code_path(c.id) for c in p.codes()}
    source_name = {s.id: (p.folder_path(s.folder_id) if s.folder_id else "", s.name) for s in p.sources()}
    guids = p.exchange_guids("source")
    sources = {source_name[s.id]: (p.source_text(s.id), guids[s.id]) for s in p.sources()}
    codes = {code_path[c.id]: (c.color.lower(), c.definition, c.inclusion, c.exclusion, c.example, c.guid,
                               c.position) for c in p.codes()}
    codings = sorted((source_name[c.source_id], code_path[c.code_id], coder[c.coder_id], c.start, c.end,
                      c.created_at, c.guid) for s in p.sources() for c in p.codings_for_source(s.id))
    case_name = {c.id: c.name for c in p.cases()}
    cases = {c.name: (c.guid, sorted((source_name[m.source_id], m.start or -1, m.end or -1)
                                     for m in p.case_members(c.id))) for c in p.cases()}
    attributes = []
    for a in p.attributes():
        owners = case_name if a.scope == "case" else source_name
        values = sorted((str(owners[o]), repr(v)) for o, v in p.values_of_attribute(a.id).items())
        attributes.append((a.scope, a.name, a.type, a.choices, values))
    memos = []
    coding_key = {c.id: (source_name[c.source_id], code_path[c.code_id], c.start, c.end)
                  for s in p.sources() for c in p.codings_for_source(s.id)}
    for m in p.memos():
        target = {"project": lambda m: None, "source": lambda m: source_name[m.target_id],
                  "code": lambda m: code_path[m.target_id], "case": lambda m: case_name[m.target_id],
                  "coding": lambda m: coding_key[m.target_id],
                  "range": lambda m: (source_name[m.source_id], m.start, m.end)}[m.target_kind](m)
        author = coder.get(m.coder_id) if m.target_kind != "case" else None  # a case memo is its description
        memos.append((m.target_kind, str(target), m.text, author))
    folders = sorted(p.folder_path(f.id) for f in p.folders())
    return {"sources": sources, "codes": codes, "codings": codings, "cases": cases, "attributes": attributes,
            "memos": sorted(memos), "folders": folders, "coders": sorted(coder.values())}
