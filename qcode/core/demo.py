"""Build the demo project from the fictional material in the package (qcode/resources/demo).

Everything goes through the public Project API and the real text importer. Codings are written in the
material as anchor phrases (exact text that occurs once in its source); a phrase that is missing or
ambiguous stops the build with a message naming it. Timestamps and identifiers are derived from fixed
values, so two builds are identical.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from qcode.core.errors import ProjectExistsError, ProjectLockedError, QcodeError
from qcode.core.importers import ImportOptions
from qcode.core.importers.text import TextImporter
from qcode.core.model import NewCoding
from qcode.core.project import Project
from qcode.core.store.lock import is_locked

DEMO_EPOCH = datetime(2026, 6, 1, 9, 0, 0, tzinfo=timezone.utc)
DEMO_NAMESPACE = uuid.UUID("8d3c1f52-5a8e-4a43-9a53-6f0f6d2f1c11")


class DemoMaterialError(QcodeError):
    """The demo material is inconsistent (a developer's problem, reported precisely)."""


def demo_folder() -> Path:
    """The demo material, package data of qcode (read with importlib.resources, so a wheel or a bundled app
    has it too)."""
    folder = resources.files("qcode") / "resources" / "demo"
    if not (folder / "manifest.json").is_file() or not isinstance(folder, os.PathLike):
        raise DemoMaterialError("The demo material (qcode/resources/demo) is missing from this installation of qcode.")
    return Path(folder)


class _Clock:
    """Fixed, increasing timestamps and name-based identifiers."""

    def __init__(self) -> None:
        self.ticks = 0
        self.guids = 0

    def now(self) -> str:
        self.ticks += 1
        return (DEMO_EPOCH + timedelta(minutes=self.ticks)).isoformat(timespec="seconds")

    def guid(self) -> str:
        self.guids += 1
        return str(uuid.uuid5(DEMO_NAMESPACE, str(self.guids))).upper()


def _load(folder: Path, name: str) -> Any:
    path = folder / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise DemoMaterialError(f"The demo file {name} cannot be read: {err}.") from err


def locate(text: str, anchor: str, where: str) -> tuple[int, int]:
    """The one place an anchor phrase occurs in a text."""
    start = text.find(anchor)
    if start < 0:
        raise DemoMaterialError(f"Demo anchor not found in {where}: '{anchor[:80]}'")
    if text.find(anchor, start + 1) >= 0:
        raise DemoMaterialError(f"Demo anchor occurs more than once in {where}: '{anchor[:80]}'")
    return start, start + len(anchor)


def build_demo(path: Path, *, force: bool = False) -> Path:
    """Write the demo project to `path` (refusing to overwrite unless `force`)."""
    path = Path(path)
    if path.exists():
        if not force:
            raise ProjectExistsError(path)
        if is_locked(path):
            raise ProjectLockedError()
    folder = demo_folder()
    building = path.with_name(path.name + ".building")
    for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        leftover.unlink(missing_ok=True)
    clock = _Clock()
    # the title is set at creation, so nothing in the file depends on the file's own name
    title = _load(folder, "manifest.json")["project_name"]
    project = Project.create(building, name=title, clock=clock.now, guids=clock.guid)
    try:
        _fill(project, folder)
    except BaseException:
        project.close()
        building.unlink(missing_ok=True)
        raise
    project.close()
    Path(f"{building}.lock").unlink(missing_ok=True)
    os.replace(building, path)
    return path


def _fill(project: Project, folder: Path) -> None:
    manifest = _load(folder, "manifest.json")
    coders = {c["name"]: project.ensure_coder(c["name"], color=c["color"]) for c in manifest["coders"]}
    first_coder = manifest["coders"][0]["name"]
    project.use_coder(first_coder)

    # sources, through the real importer
    sources: dict[str, int] = {}
    texts: dict[str, str] = {}
    importer = TextImporter()
    for entry in manifest["sources"]:
        parsed = importer.parse(folder / entry["file"], ImportOptions(), None).sources[0]
        folder_id = project.ensure_folder_path(entry["folder"]).id
        source = project.add_source(entry["name"], parsed.text, kind="text", spans=parsed.spans,
                                    folder_id=folder_id, original_name=Path(entry["file"]).name)
        sources[entry["name"]] = source.id
        texts[entry["name"]] = parsed.text

    # codebook
    codes: dict[str, int] = {}

    def add_codes(items: list[dict[Any, Any]], parent: int | None, prefix: str) -> None:
        for item in items:
            code = project.create_code(
                item["name"], parent_id=parent, color=item["color"], definition=item.get("definition", ""),
                inclusion=item.get("inclusion", ""), exclusion=item.get("exclusion", ""),
                example=item.get("example", ""),
            )
            path = f"{prefix}{item['name']}"
            codes[path] = code.id
            add_codes(item.get("children", []), code.id, path + "/")

    add_codes(_load(folder, "codebook.json")["codes"], None, "")

    # cases and their attributes
    case_data = _load(folder, "cases.json")
    attributes = {
        a["name"]: project.create_attribute(a["name"], a["type"], scope="case", choices=a.get("choices", ()))
        for a in case_data["attributes"]
    }
    cases: dict[str, int] = {}
    for item in case_data["cases"]:
        case = project.create_case(item["name"])
        cases[item["name"]] = case.id
        for name, value in item["attributes"].items():
            project.set_attribute_value(attributes[name].id, case.id, value)
        for member in item["members"]:
            source_id = _lookup(sources, member["source"], "source", "cases.json")
            speaker = member.get("speaker")
            if speaker is None:
                project.add_case_member(case.id, source_id)
                continue
            turns = [t for t in project.spans(source_id, "turn") if t.value == speaker]
            if not turns:
                raise DemoMaterialError(f"cases.json: {speaker} has no turns in {member['source']}.")
            for turn in turns:
                project.add_case_member(case.id, source_id, turn.start, turn.end)

    # source attributes (the literature's bibliographic details)
    source_data = _load(folder, "sources.json")
    source_attributes = {
        a["name"]: project.create_attribute(a["name"], a["type"], scope="source", choices=a.get("choices", ()))
        for a in source_data["attributes"]
    }
    for source_name, values in source_data["values"].items():
        source_id = _lookup(sources, source_name, "source", "sources.json")
        for name, value in values.items():
            project.set_attribute_value(source_attributes[name].id, source_id, value)

    # codings, from anchor phrases
    memos_for_codings: list[tuple[int, int, int, int, int, str]] = []
    batch: list[NewCoding] = []
    for codings_file in sorted(folder.glob("codings_*.json")):
        for item in _load(folder, codings_file.name)["codings"]:
            where = f"{codings_file.name} / {item['source']}"
            source_id = _lookup(sources, item["source"], "source", codings_file.name)
            code_id = _lookup(codes, item["code"], "code", codings_file.name)
            coder_id = coders[item["coder"]].id if item["coder"] in coders else _missing("coder", item["coder"], where)
            start, end = locate(texts[item["source"]], item["anchor"], where)
            batch.append(NewCoding(source_id, code_id, start, end, coder_id))
            if item.get("memo"):
                memos_for_codings.append((source_id, code_id, coder_id, start, end, item["memo"]))
    project.add_codings(batch)
    for source_id, code_id, coder_id, start, end, text in memos_for_codings:
        match = [c for c in project.codings_for_source(source_id, coder_id=coder_id)
                 if c.code_id == code_id and c.start == start and c.end == end]
        project.set_memo("coding", match[0].id, text)

    # journal and memos
    memo_data = _load(folder, "memos.json")
    project.set_journal(memo_data["journal"])
    for item in memo_data["memos"]:
        project.use_coder(item.get("coder", first_coder))
        target = item["target"]
        if target == "code":
            project.set_memo("code", _lookup(codes, item["code"], "code", "memos.json"), item["text"])
        elif target == "source":
            project.set_memo("source", _lookup(sources, item["source"], "source", "memos.json"), item["text"])
        elif target == "case":
            project.set_memo("case", _lookup(cases, item["case"], "case", "memos.json"), item["text"])
        elif target == "range":
            source_id = _lookup(sources, item["source"], "source", "memos.json")
            start, end = locate(texts[item["source"]], item["anchor"], f"memos.json / {item['source']}")
            project.add_range_memo(source_id, start, end, item["text"])
        else:
            raise DemoMaterialError(f"memos.json: unknown memo target '{target}'.")
    project.use_coder(first_coder)


def _lookup(table: dict[str, int], key: str, what: str, where: str) -> int:
    if key not in table:
        _missing(what, key, where)
    return table[key]


def _missing(what: str, key: str, where: str) -> int:
    raise DemoMaterialError(f"{where}: unknown {what} '{key}'.")
