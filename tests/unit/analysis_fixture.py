"""A small project with hand-countable codings, shared by the analysis tests (core and CLI).

Interview A (case Sam, Sports club), with three paragraphs and an emoji:
    c1 Peers (Tester) and c2 Peers (Ana) on the same sentence; c4 Barriers (Tester) from "the club." into the
    next paragraph; c3 Family (Tester) and c9 Peers (Ana) in the last paragraph, one space apart.
Focus group (cases Lee and Kim, paragraph by paragraph, both Online forum):
    c5 Barriers (Tester) in Lee's paragraph; c6 Peers (Ana) and c7 Support itself (Tester) in Kim's;
    c8 Barriers (Ana) over the whole text, so it falls in both cases.
Notes: no codings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qcode.core.model import Span
from qcode.core.project import Project

INTERVIEW = "Sam: I talk to my mates 😀 at the club.\n\nAna: Who helps you?\n\nSam: My dad helps. Mates help too."
FOCUS = "Lee: We never talk.\n\nKim: Mates matter. Dad too."
NOTES = "Nothing coded here yet."


def paragraphs_and_turns(text: str) -> list[Span]:
    spans = []
    position = 0
    for part in text.split("\n\n"):
        start = text.index(part, position)
        end = start + len(part)
        spans.append(Span("paragraph", start, end))
        spans.append(Span("turn", start, end, part.split(":")[0]))
        position = end
    return spans


def at(text: str, phrase: str, until: str | None = None) -> tuple[int, int]:
    start = text.index(phrase)
    end = start + len(phrase) if until is None else text.index(until) + len(until)
    return start, end


@dataclass
class Small:
    project: Project
    path: Path
    s1: int
    s2: int
    s3: int
    support: int
    peers: int
    family: int
    barriers: int
    ranges: dict[str, tuple[int, int]]
    codings: dict[str, int]


def build_small(path: Path) -> Small:
    project = Project.create(path)
    s1 = project.add_source("Interview A", INTERVIEW, spans=paragraphs_and_turns(INTERVIEW)).id
    s2 = project.add_source("Focus group", FOCUS, spans=paragraphs_and_turns(FOCUS)).id
    s3 = project.add_source("Notes", NOTES, spans=paragraphs_and_turns(NOTES)).id
    support = project.create_code("Support").id
    peers = project.create_code("Peers", parent_id=support).id
    family = project.create_code("Family", parent_id=support).id
    barriers = project.create_code("Barriers").id
    tester = project.current_coder.id
    ana = project.ensure_coder("Ana").id
    ranges = {
        "c1": at(INTERVIEW, "I talk to my mates 😀 at the club."),
        "c2": at(INTERVIEW, "I talk to my mates 😀 at the club."),
        "c3": at(INTERVIEW, "My dad helps."),
        "c4": at(INTERVIEW, "the club.", until="Who helps"),
        "c9": at(INTERVIEW, "Mates help too."),
        "c5": at(FOCUS, "We never talk."),
        "c6": at(FOCUS, "Mates matter."),
        "c7": at(FOCUS, "Mates matter. Dad too."),
        "c8": (0, len(FOCUS)),
    }
    plan = [("c1", s1, peers, tester), ("c2", s1, peers, ana), ("c3", s1, family, tester),
            ("c4", s1, barriers, tester), ("c5", s2, barriers, tester), ("c6", s2, peers, ana),
            ("c7", s2, support, tester), ("c8", s2, barriers, ana), ("c9", s1, peers, ana)]
    codings = {}
    for name, source, code, coder in plan:
        start, end = ranges[name]
        codings[name] = project.add_coding(source, code, start, end, coder_id=coder).id
    setting = project.create_attribute("Setting", "choice", choices=("Sports club", "Online forum")).id
    sam = project.create_case("Sam").id
    project.add_case_member(sam, s1)
    project.set_attribute_value(setting, sam, "Sports club")
    for name, phrase in (("Lee", "Lee: We never talk."), ("Kim", "Kim: Mates matter. Dad too.")):
        case = project.create_case(name).id
        start, end = at(FOCUS, phrase)
        project.add_case_member(case, s2, start, end)
        project.set_attribute_value(setting, case, "Online forum")
    date = project.create_attribute("Interview date", "date", scope="source").id
    project.set_attribute_value(date, s1, "2024-03-02")
    project.set_attribute_value(date, s2, "2024-01-15")
    return Small(project, path, s1, s2, s3, support, peers, family, barriers, ranges, codings)
