"""What real exchange files do differently from the standard, each built here in small."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qcode.core.project import Project

G = "{:08X}-0000-4000-8000-000000000000".format
NS = 'xmlns="urn:QDA-XML:project:1.0"'
CODES = f'<CodeBook><Codes><Code guid="{G(1)}" name="Joy" isCodable="true"/></Codes></CodeBook>'


def qdpx(path: Path, qde: str, files: dict[str, bytes], *, qde_name: str = "project.qde") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(qde_name, qde)
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def source_xml(path: str, selections: list[tuple[int, int]], *, name: str = "Doc") -> str:
    body = "".join(f'<PlainTextSelection guid="{G(100 + i)}" startPosition="{s}" endPosition="{e}">'
                   f'<Coding guid="{G(200 + i)}"><CodeRef targetGUID="{G(1)}"/></Coding></PlainTextSelection>'
                   for i, (s, e) in enumerate(selections))
    return f'<TextSource guid="{G(9)}" name="{name}" plainTextPath="{path}">{body}</TextSource>'


def project_xml(origin: str, sources: str, extra: str = "") -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><Project {NS} name="T" origin="{origin}">{CODES}'
            f"<Sources>{sources}</Sources>{extra}</Project>")


def coded(p: Project) -> list[str]:
    return [p.source_slice(s.id, c.start, c.end) for s in p.sources() for c in p.codings_for_source(s.id)]


def test_nvivo_utf16_units_crlf_and_bom(project: Project, tmp_path: Path) -> None:
    raw = "Hi 😀😀 there\r\nI feel joy today\r\n"
    data = b"\xef\xbb\xbf" + raw.encode("utf-8")
    start = len(raw.encode("utf-16-le")[: raw.index("joy") * 2]) // 2 + 2  # two emoji: two more units
    sel = [(start, start + 3)]
    path = qdpx(tmp_path / "n.qdpx", project_xml("NVivo for Windows 12.6", source_xml(
        f"internal://{G(9).lower()}.txt", sel)), {f"Sources/{G(9).lower()}.txt": data})
    project.import_refi(path)
    assert coded(project) == ["joy"]
    assert project.source_text(project.sources()[0].id) == "Hi 😀😀 there\nI feel joy today\n"


def test_code_points_when_the_producer_counts_them(project: Project, tmp_path: Path) -> None:
    raw = "Smile 😀 and 😀 then joy here"
    start = raw.index("joy")
    path = qdpx(tmp_path / "c.qdpx", project_xml("Some tool 2.0", source_xml("internal://x.txt", [(start, start + 3)])),
                {"sources/x.txt": raw.encode()})
    project.import_refi(path)
    assert coded(project) == ["joy"]


def test_unit_is_guessed_from_word_boundaries_for_unknown_producers(project: Project, tmp_path: Path) -> None:
    raw = "😀😀😀 word alpha and beta gamma"
    units = [(raw.index(w) + 3, raw.index(w) + 3 + len(w)) for w in ("alpha", "beta", "gamma")]
    path = qdpx(tmp_path / "u.qdpx", project_xml("A .NET tool", source_xml("internal://x.txt", units)),
                {"sources/x.txt": raw.encode()})
    project.import_refi(path)
    assert coded(project) == ["alpha", "beta", "gamma"]


def test_qualcoder_bom_is_not_counted(project: Project, tmp_path: Path) -> None:
    raw = "First joy line"
    path = qdpx(tmp_path / "q.qdpx", project_xml("QualCoder 3.5", source_xml("internal://x.txt", [(6, 9)])),
                {"sources/x.txt": b"\xef\xbb\xbf" + raw.encode()})
    project.import_refi(path)
    assert coded(project) == ["joy"]


@pytest.mark.parametrize(("reference", "entry", "qde_name"), [
    ("x.txt", "sources/x.txt", "project.qde"),  # qc: no internal://
    ("internal://x.txt", "Sources/x.txt", "project.qde"),  # NVivo Windows: capital S
    ("INTERNAL://x.txt", "sources/x.txt", "My study.qde"),  # ATLAS.ti: named after the project
    ("internal://x.txt", "x.txt", "project.qde"),  # at the top of the archive
])
def test_paths_and_names_are_found_leniently(project: Project, tmp_path: Path, reference: str, entry: str,
                                             qde_name: str) -> None:
    path = qdpx(tmp_path / "p.qdpx", project_xml("Tool", source_xml(reference, [(0, 5)])),
                {entry: b"Hello world"}, qde_name=qde_name)
    project.import_refi(path)
    assert coded(project) == ["Hello"]


def test_inline_text_other_casing_and_extra_elements(project: Project, tmp_path: Path) -> None:
    qde = (f'<project {NS} NAME="x" origin="Tool"><Extra/><codebook><codes><code GUID="{G(1)}" name="Joy" '
           f'iscodable="true" color="#0f0"/></codes></codebook><sources><textsource guid="{G(9)}" name="D">'
           f"<PlainTextContent>A joy.</PlainTextContent><PlainTextSelection guid=\"{G(3)}\" startposition=\"2\" "
           f'endPosition="5"><Coding guid="{G(4)}"><CodeRef targetGUID="{G(1)}"/></Coding></PlainTextSelection>'
           "</textsource></sources></project>")
    project.import_refi(qdpx(tmp_path / "i.qdpx", qde, {}))
    assert coded(project) == ["joy"]
    assert project.codes()[0].color == "#00ff00"


def test_taguette_codebook_with_an_empty_sets_element(project: Project, tmp_path: Path) -> None:
    qdc = tmp_path / "t.qdc"
    qdc.write_text('<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette">'
                   f'<Codes><Code guid="{G(1)}" name="a" isCodable="true"><Description>about a</Description></Code>'
                   f'<Code guid="{G(2)}" name="b" isCodable="true"/></Codes><Sets/></CodeBook>', "utf-8")
    report = project.import_refi(qdc)
    assert [c.name for c in project.codes()] == ["a", "b"]
    assert project.codes()[0].definition == "about a"
    assert report.added["codes"] == 2
    project.import_refi(qdc)
    assert len(project.codes()) == 2  # merged by guid, never duplicated


def test_codes_merge_by_name_path_into_an_existing_codebook(project: Project, tmp_path: Path) -> None:
    joy = project.create_code("Joy", definition="mine")
    qdc = tmp_path / "t.qdc"
    qdc.write_text(f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{G(7)}" name="joy" '
                   f'isCodable="true"><Code guid="{G(8)}" name="Small/joys" isCodable="true"/></Code></Codes>'
                   "</CodeBook>", "utf-8")
    report = project.import_refi(qdc)
    assert [project.code_path(c.id) for c in project.codes()] == ["Joy", "Joy/Small\u2215joys"]
    assert project.code(joy.id).definition == "mine"
    assert any("'/'" in line for line in report.left_out)


def test_media_sources_and_other_selections_are_reported_not_fatal(project: Project, tmp_path: Path) -> None:
    media = (f'<PictureSource guid="{G(20)}" name="Photo" path="internal://p.jpg"><PictureSelection guid="{G(21)}" '
             'firstX="1" firstY="1" secondX="2" secondY="2"/></PictureSource>'
             f'<AudioSource guid="{G(22)}" name="Talk" path="internal://a.mp3"/>'
             f'<PDFSource guid="{G(23)}" name="Paper" path="internal://p.pdf"><PDFSelection guid="{G(24)}" page="1" '
             'firstX="1" firstY="1" secondX="2" secondY="2"/><Representation guid="{0}" plainTextPath='
             '"internal://r.txt"/></PDFSource>').replace("{0}", G(25))
    path = qdpx(tmp_path / "m.qdpx", project_xml("Tool", source_xml("internal://x.txt", [(0, 5)]) + media),
                {"sources/x.txt": b"Hello", "sources/r.txt": b"Paper text"})
    report = project.import_refi(path)
    assert sorted(s.name for s in project.sources()) == ["Doc", "Paper"]
    text = "\n".join(report.left_out)
    assert "the picture source 'Photo': qcode holds text sources only" in text
    assert "the audio source 'Talk': qcode holds text sources only" in text
    assert "1 picture areas" in text
    assert "1 PDF areas" in text
    assert coded(project) == ["Hello"]


def test_a_file_missing_what_the_schema_requires_still_imports(project: Project, tmp_path: Path) -> None:
    qde = (f"<Project {NS}><Users><User/><User guid=\"{G(50)}\"/></Users><CodeBook><Codes><Code name=\"No id\"/>"
           f'<Code guid="{G(1)}"/></Codes></CodeBook><Variables><Variable guid="{G(60)}" name="Age" '
           f'typeOfVariable="Integer"/><Variable name="lost"/></Variables>'
           f'<Cases><Case guid="{G(70)}"><VariableValue><VariableRef targetGUID="{G(60)}"/><IntegerValue>x'
           f'</IntegerValue></VariableValue><SourceRef targetGUID="{G(9)}"/><SelectionRef targetGUID="{G(99)}"/>'
           f"</Case><Case/></Cases><Sources>"
           f'<TextSource guid="{G(9)}" plainTextPath="x.txt"><PlainTextSelection startPosition="0" endPosition="3">'
           f'<Coding><CodeRef targetGUID="{G(1)}"/></Coding><Coding guid="{G(5)}"/></PlainTextSelection>'
           f'<PlainTextSelection guid="{G(6)}" startPosition="9" endPosition="2"/>'
           f'<PlainTextSelection guid="{G(7)}" startPosition="a" endPosition="2"/>'
           f'<Coding guid="{G(8)}"><CodeRef targetGUID="{G(404)}"/></Coding><NoteRef targetGUID="{G(405)}"/>'
           f"</TextSource></Sources><Notes><Note guid=\"{G(80)}\" name=\"Loose\"><PlainTextContent>kept"
           "</PlainTextContent></Note></Notes><Sets><Set name=\"Only codes\"><MemberCode targetGUID=\"x\"/></Set>"
           "</Sets></Project>")
    report = project.import_refi(qdpx(tmp_path / "m.qdpx", qde, {"x.txt": b"Hey you"}))
    assert [c.name for c in project.codes()] == ["No id", "Unnamed code"]
    assert coded(project) == ["Hey"]
    assert [c.name for c in project.cases()] == ["Case 1", "Case 2"]
    assert "Loose:\nkept" in project.journal()
    text = "\n".join(report.left_out)
    assert "values that do not fit their variable's type (number)" in text
    assert "text selections outside their source's text or empty" in text
    assert "codings of codes the file does not define" in text
    assert project.check() == []


def test_qualcoder_counts_code_points_even_where_words_would_mislead(project: Project, tmp_path: Path) -> None:
    raw = "😀 ab cd"  # code points 3-5 are "b " (what QualCoder meant); as UTF-16 units they would be "ab"
    path = qdpx(tmp_path / "q.qdpx", project_xml("QualCoder 3.6", source_xml("internal://x.txt", [(3, 5)])),
                {"sources/x.txt": raw.encode()})
    project.import_refi(path)
    assert coded(project) == ["b "]
