"""Reference libraries (.ris, .bib): every entry becomes a source (its citation, abstract, notes) with its attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError, UnsupportedFormatError
from qcode.core.importers import REGISTRY, ImportOptions, ParsedSource, ParseResult, find_importer, importable_suffixes
from qcode.core.importers.reference_formats import latex_to_text
from qcode.core.importers.references import attachment_candidates, source_name
from qcode.core.model import Span
from qcode.core.project import Project

RIS = """TY  - JOUR
AU  - Okafor, Adaeze
AU  - Lindqvist, Per
TI  - Waiting rooms as places of care
T2  - Journal of Invented Studies
PY  - 2019///
DO  - 10.9999/jis.2019.17
KW  - waiting
KW  - care work
AB  - We describe how patients wait
  and what they do while waiting.
N1  - <p>Read for chapter 2 &amp; 3.</p><p>Compare with the clinic study.</p>
UR  - https://example.org/wait
ER  -

TY  - BOOK
A1  - Moreau, Camille
T1  - A book without an abstract
Y1  - 2001/05/01/
ER  -

TY  - CHAP
AU  - Tanaka, Hiro
TI  - Listening
N2  - Second abstract tag.
DA  - 2020/01/01
ER  -
"""

BIB = r"""
@comment{This line is ignored @article{fake, title={No}}}
@preamble{"\newcommand{\noop}[1]{}"}
@string{ jis = "Journal of " # {Invented} # " Studies" }
@STRING(yr = "2021")

@article{mueller2021,
  author    = {M{\"u}ller, J{\"o}rg and Garc{\'\i}a, Luc{\'i}a and {Team of {Many} and Others}},
  title     = {{Gar\c{c}on} and the {\em Caf{\'e}}: 1990--1999 --- a study},
  journal   = jis,
  year      = yr,
  month     = mar,
  doi       = {10.9999/x--y_1},
  keywords  = {caf\'es, service; work},
  abstract  = {First paragraph with 50\% of \{braces\} and Stra\ss e.

               Second paragraph.},
  pages     = 12 # "--" # 30,
}

@book{noabstract, author = "Doe, Jane", title = "Nothing to code", year = 2000}

@misc{notes_only,
  author = {Ana Souza and others},
  title = "Field notes on {"}markets{"}",
  date = {2022-03-04},
  annote = {Useful for the market chapter.},
}
"""


def parse(path: Path, options: ImportOptions | None = None) -> ParseResult:
    return find_importer(path).parse(path, options or ImportOptions(), None)


def covered(source: ParsedSource, kind: str) -> list[tuple[str, str | None]]:
    return [(source.text[s.start:s.end], s.value) for s in source.spans if s.kind == kind]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


OKAFOR = "Okafor, Adaeze; Lindqvist, Per (2019). Waiting rooms as places of care. Journal of Invented Studies."


def test_ris_records(tmp_path: Path) -> None:
    result = parse(write(tmp_path, "library.ris", RIS))
    first, book, second = result.sources
    assert (first.name, first.kind) == ("Okafor 2019 - Waiting rooms as places of care", "reference")
    assert first.text == (f"{OKAFOR}\n\n"
                          "We describe how patients wait and what they do while waiting.\n\n"
                          "Read for chapter 2 & 3.\n\nCompare with the clinic study.")
    assert covered(first, "heading") == [(OKAFOR, "1")]
    assert [t for t, _ in covered(first, "paragraph")] == first.text.split("\n\n")
    assert first.attributes == {
        "Authors": "Okafor, Adaeze; Lindqvist, Per", "Year": 2019, "Title": "Waiting rooms as places of care",
        "Journal": "Journal of Invented Studies", "DOI": "10.9999/jis.2019.17", "Keywords": "waiting; care work",
    }
    assert first.meta == {"reference_type": "JOUR", "url": "https://example.org/wait"}
    assert (book.name, book.text) == ("Moreau 2001 - A book without an abstract",
                                      "Moreau, Camille (2001). A book without an abstract.")
    assert (second.name, second.text) == ("Tanaka 2020 - Listening",
                                          "Tanaka, Hiro (2020). Listening.\n\nSecond abstract tag.")
    assert second.attributes == {"Authors": "Tanaka, Hiro", "Year": 2020, "Title": "Listening"}
    assert result.attribute_types == {
        ("source", "Authors"): "text", ("source", "Year"): "number", ("source", "Title"): "text",
        ("source", "Journal"): "text", ("source", "DOI"): "text", ("source", "Keywords"): "text",
    }
    assert result.cases == []


def test_ris_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "endnote.ris"
    path.write_bytes("TY  - JOUR\r\nAU  - Bréhier, Zoë\r\nTI  - Crème\r\nAB  - Déjà vu\r\nER  - \r\n".encode("utf-8-sig"))
    (source,) = parse(path).sources
    assert (source.name, source.text) == ("Bréhier - Crème", "Bréhier, Zoë. Crème.\n\nDéjà vu")


def test_bibtex_entries(tmp_path: Path) -> None:
    result = parse(write(tmp_path, "refs.bib", BIB))
    first, no_abstract, second = result.sources
    title = "Garçon and the Café: 1990–1999 — a study"
    assert first.name == f"Müller 2021 - {title}"
    cited = (f"Müller, Jörg; García, Lucía; Team of Many and Others (2021). {title}. Journal of Invented Studies, "
             "12–30.")
    assert first.text == (f"{cited}\n\nFirst paragraph with 50% of {{braces}} and Straße.\n\nSecond paragraph.")
    assert covered(first, "heading") == [(cited, "1")]
    assert no_abstract.text == "Doe, Jane (2000). Nothing to code."
    assert first.attributes == {
        "Authors": "Müller, Jörg; García, Lucía; Team of Many and Others", "Year": 2021, "Title": title,
        "Journal": "Journal of Invented Studies", "DOI": "10.9999/x--y_1", "Keywords": "cafés; service; work",
    }
    assert first.meta == {"reference_type": "article", "key": "mueller2021"}
    assert second.name == 'Souza 2022 - Field notes on "markets"'
    assert second.text == 'Ana Souza; et al. (2022). Field notes on "markets".\n\nUseful for the market chapter.'
    assert second.attributes["Authors"] == "Ana Souza; et al."
    assert "Journal" not in second.attributes


@pytest.mark.parametrize(("tex", "text"), [
    (r'{\"o}', "ö"), (r'\"{o}', "ö"), (r'\"o', "ö"), (r"{\'e}", "é"), (r"\c{c}", "ç"), (r"\c c", "ç"),
    (r"\&", "&"), ("a--b", "a–b"), ("a---b", "a—b"), (r"\v{S}", "Š"), (r"\'{\i}", "í"), (r"{\o}", "ø"),
    (r"\textit{word}", "word"), ("``q''", "“q”"), ("non~breaking", "non\u00a0breaking"), (r"\ss{}", "ß"),
])
def test_latex_accents(tex: str, text: str) -> None:
    assert latex_to_text(tex) == text


def test_authors_split_only_outside_braces(tmp_path: Path) -> None:
    path = write(tmp_path, "a.bib", "@misc{k, title={T}, author={A. One and {Two and Three Ltd} AND Four, F.}}")
    (source,) = parse(path).sources
    assert source.attributes["Authors"] == "A. One; Two and Three Ltd; Four, F."


def test_malformed_entry_is_skipped(tmp_path: Path) -> None:
    text = "@article{bad, title = {unclosed, abstract = {x}\n" \
           "@article{good, title = {Fine}, abstract = {Kept.}}\n"
    result = parse(write(tmp_path, "mixed.bib", text))
    (source,) = result.sources
    assert source.text == "Fine.\n\nKept."
    assert source.name == "Fine"
    assert result.notes == ["left out: 1 that could not be read (starting on line 1)"]


def test_long_names_are_trimmed() -> None:
    from qcode.core.importers.references import Reference

    ref = Reference(authors=["Someone, A."], year="2024", title="A very long title " * 8)
    name = source_name(ref)
    assert len(name) <= 80
    assert name.startswith("Someone 2024 - A very long title")
    assert name.endswith(" very…")


def test_entries_without_abstracts_are_imported_with_their_citation(tmp_path: Path) -> None:
    result = parse(write(tmp_path, "bare.bib", "@book{a, title={T}}\n@misc{b, title={U}, abstract={ }}"))
    assert [s.text for s in result.sources] == ["T.", "U."]
    assert result.notes == ["2 entries: 0 with an abstract or notes, 2 with the citation only"]
    (source,) = parse(write(tmp_path, "bare.ris", "TY  - BOOK\nTI  - T\nER  - \n")).sources
    assert source.text == "T."
    with pytest.raises(EmptySourceError, match="have no title, authors, abstract or notes"):
        parse(write(tmp_path, "empty.bib", "@misc{a, year={2020}}"))


def test_files_without_references(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="holds no references"):
        parse(write(tmp_path, "notes.bib", "just some text, no entries"))
    with pytest.raises(UnreadableFileError, match="holds no references"):
        parse(write(tmp_path, "notes.ris", "just some text"))


def test_attachment_forms() -> None:
    assert attachment_candidates("Full Text PDF:files/12/A - 2020.pdf:application/pdf")[0] == "files/12/A - 2020.pdf"
    assert attachment_candidates("files/12/a.pdf:application/pdf")[0] == "files/12/a.pdf"
    assert attachment_candidates(r":C$\backslash$:/Users/x/a.pdf:pdf")[0] == "C:/Users/x/a.pdf"
    assert attachment_candidates("file:///C:/Users/x/a%20b.pdf") == ["C:/Users/x/a b.pdf"]
    assert "/home/x/a b.pdf" in attachment_candidates("file:///home/x/a%20b.pdf")


class FakePdf:
    name = "a PDF"
    suffixes = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"%PDF")

    def parse(self, path: Path, options: ImportOptions, progress: object) -> ParseResult:
        text = "Page one text\n\nPage two text"
        spans = [Span("page", 0, 13, "1"), Span("paragraph", 0, 13), Span("page", 15, 28, "2"),
                 Span("paragraph", 15, 28)]
        return ParseResult([ParsedSource(path.stem, text, kind="pdf", spans=spans)])


ATTACHED_BIB = r"""
@article{one, author={Ito, Ken}, title={With PDF}, year={2018}, abstract={Short abstract.},
  file={Full Text:files/1/paper.pdf:application/pdf}}
@article{two, author={Ito, Ken}, title={Missing PDF}, year={2019}, abstract={Other abstract.},
  file={Snapshot:files/2/page.html:text/html;Full Text:files/2/gone.pdf:application/pdf}}
@article{three, title={Only PDF}, file={files/1/paper.pdf}}
"""


@pytest.fixture
def attached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    importable_suffixes()  # load the built-in importers before replacing the PDF one
    monkeypatch.setitem(REGISTRY, ".pdf", FakePdf())
    (tmp_path / "files" / "1").mkdir(parents=True)
    (tmp_path / "files" / "1" / "paper.pdf").write_bytes(b"%PDF-1.4 invented")
    return write(tmp_path, "attached.bib", ATTACHED_BIB)


def test_attachments_are_imported_after_the_abstract(attached: Path) -> None:
    one, two, three = parse(attached, ImportOptions(attachments=True)).sources
    assert one.text == "Ito, Ken (2018). With PDF.\n\nShort abstract.\n\nPage one text\n\nPage two text"
    assert covered(one, "page") == [("Page one text", "1"), ("Page two text", "2")]
    assert [t for t, _ in covered(one, "paragraph")] == one.text.split("\n\n")
    assert "attachment_error" not in one.meta
    assert two.text == "Ito, Ken (2019). Missing PDF.\n\nOther abstract."
    assert two.meta["attachment_error"] == ("the attached PDF files/2/gone.pdf was not found "
                                            "(looked next to attached.bib and at that path)")
    assert three.text == "Only PDF.\n\nPage one text\n\nPage two text"


def test_the_report_names_missing_attachments_and_entries_left_out(attached: Path, project: Project) -> None:
    outcome = project.import_file(attached, options=ImportOptions(attachments=True))
    assert outcome.status == "imported"
    paper = (attached.parent / "files" / "1" / "paper.pdf").resolve()
    assert outcome.reason.split("; ") == [
        "3 entries: 2 with an abstract or notes, 1 with the citation only",
        f"Ito 2018 - With PDF: added the text of the attached file {paper}",
        "Ito 2019 - Missing PDF: the attached PDF files/2/gone.pdf was not found (looked next to attached.bib and "
        "at that path)",
        f"Only PDF: added the text of the attached file {paper}",
    ]
    plain = attached.with_name("plain.bib")
    plain.write_text(ATTACHED_BIB.replace("abstract={Short abstract.}", "abstract={Another abstract.}"),
                     encoding="utf-8")
    outcome = project.import_file(plain)
    assert outcome.status == "imported"
    assert outcome.reason == "3 entries: 2 with an abstract or notes, 1 with the citation only"


def test_attachments_off_by_default(attached: Path) -> None:
    sources = parse(attached).sources
    assert [s.text for s in sources] == ["Ito, Ken (2018). With PDF.\n\nShort abstract.",
                                         "Ito, Ken (2019). Missing PDF.\n\nOther abstract.", "Only PDF."]
    assert all("attachment_error" not in s.meta for s in sources)


def test_attachment_without_pdf_importer(attached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(REGISTRY, ".pdf")
    sources = parse(attached, ImportOptions(attachments=True)).sources
    assert len(sources) == 3
    assert sources[0].text == "Ito, Ken (2018). With PDF.\n\nShort abstract."
    assert "cannot import .pdf files" in sources[0].meta["attachment_error"]


def test_ris_attachment_by_absolute_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    importable_suffixes()
    monkeypatch.setitem(REGISTRY, ".pdf", FakePdf())
    pdf = tmp_path / "store" / "my paper.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4")
    path = write(tmp_path, "lib.ris", f"TY  - JOUR\nTI  - T\nAB  - A.\nL1  - {pdf.as_uri()}\nER  - \n")
    (source,) = parse(path, ImportOptions(attachments=True)).sources
    assert source.text == "T.\n\nA.\n\nPage one text\n\nPage two text"


def test_references_land_in_a_project(project: Project, tmp_path: Path) -> None:
    outcome = project.import_file(write(tmp_path, "library.ris", RIS))
    assert outcome.status == "imported", outcome.reason
    sources = project.sources()
    assert [s.name for s in sources] == ["Okafor 2019 - Waiting rooms as places of care",
                                         "Moreau 2001 - A book without an abstract", "Tanaka 2020 - Listening"]
    values = project.attribute_values("source", sources[0].id)
    assert values["Year"] == 2019
    assert values["Keywords"] == "waiting; care work"
    assert project.check() == []


class CancelAtOnce:
    def step(self, done: int, total: int, text: str) -> None:
        raise AssertionError("no step after cancelling")

    def cancelled(self) -> bool:
        return True


def test_cancel(tmp_path: Path) -> None:
    path = write(tmp_path, "library.ris", RIS)
    with pytest.raises(ImportError_, match="cancelled"):
        find_importer(path).parse(path, ImportOptions(), CancelAtOnce())


SCHOLAR_BIB = r"""@string{procs = "Proceedings of the Invented Conference"}
@inproceedings{lind2021sheds,
  title={Sheds, tools and talk},
  author={Lind, Rosa and Ashby, Tom},
  crossref={conf2021},
  pages={10--18}
}
@proceedings{conf2021, title = procs # " on Care", year = 2021, publisher = {Fictional Press}}
@article{lind2021sheds, title={A second entry under the same key}, author={Lind, Rosa}, year={2022}}
@book{oneil, title={Quiet {M}en}, author={O'Neil, P{\'a}draig}, year={2019}, publisher={Fictional Press}}
"""


def test_a_library_without_abstracts_imports_every_entry_as_its_citation(tmp_path: Path) -> None:
    result = parse(write(tmp_path, "scholar.bib", SCHOLAR_BIB))
    texts = [s.text for s in result.sources]
    assert texts == [
        "Lind, Rosa; Ashby, Tom (2021). Sheds, tools and talk. Proceedings of the Invented Conference on Care, 10–18.",
        "(2021). Proceedings of the Invented Conference on Care. Fictional Press.",
        "Lind, Rosa (2022). A second entry under the same key.",
        "O'Neil, Pádraig (2019). Quiet Men. Fictional Press.",
    ]
    first = result.sources[0]
    assert first.attributes == {"Authors": "Lind, Rosa; Ashby, Tom", "Year": 2021, "Title": "Sheds, tools and talk",
                                "Journal": "Proceedings of the Invented Conference on Care"}
    assert result.notes == ["4 entries: 0 with an abstract or notes, 4 with the citation only"]


def test_ris_with_one_space_before_the_dash(tmp_path: Path) -> None:
    path = write(tmp_path, "publisher.ris", "TY - JOUR\nAU - Ashby, Tom\nTI - Allotments\nJO - Fictional Review\n"
                                            "VL - 4\nIS - 2\nSP - 33\nEP - 41\nPY - 2018\nER - \n")
    (source,) = parse(path).sources
    assert source.text == "Ashby, Tom (2018). Allotments. Fictional Review, 4(2), 33–41."


def test_a_web_of_science_tagged_export_is_told_to_export_ris(tmp_path: Path) -> None:
    path = write(tmp_path, "savedrecs.ris", "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Lind, R\n"
                                            "TI Sheds and talk\nPY 2020\nER\nEF\n")
    with pytest.raises(UnsupportedFormatError, match=r"Web of Science .* 'RIS \(other reference software\)'"):
        parse(path)


def test_the_report_counts_entries_with_and_without_abstracts(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "mixed.bib", "@article{a, title={One}, abstract={Has one.}}\n@article{b, title={Two}}\n"
                                        "@article{c, title={Three}}\n")
    outcome = project.import_file(path)
    assert outcome.status == "imported"
    assert outcome.reason == "3 entries: 1 with an abstract or notes, 2 with the citation only"
    assert [project.source_text(s.id) for s in project.sources()] == ["One.\n\nHas one.", "Two.", "Three."]


def test_untagged_lines_and_old_encodings(tmp_path: Path) -> None:
    path = write(tmp_path, "stray.ris", "TY  - JOUR\nTI  - A\nAB  - x\nER  - \n\nTY  - JOUR\nstray line\nTI  - B\n"
                                        "AB  - first\n  second line\nER  - \n")
    assert [s.text for s in parse(path).sources] == ["A.\n\nx", "B.\n\nfirst second line"]
    latin = tmp_path / "latin.bib"
    latin.write_bytes("@book{k, author={Bréhier, Zoë}, title={Crème brûlée à la française}, year=1999}\n"
                      .encode("cp1252"))
    (source,) = parse(latin).sources
    assert source.text == "Bréhier, Zoë (1999). Crème brûlée à la française."


def test_a_library_with_accents_in_long_abstracts_reads_quickly(tmp_path: Path) -> None:
    import time

    abstract = "Fictional words about allotments, sheds and the people who keep them. " * 12
    text = "".join(f"@article{{k{i}, author={{M{{\\\"u}}ller, J. and Garc{{\\'\\i}}a, L.}}, title={{Caf{{\\'e}} {i}}},"
                   f" year={{2020}}, abstract={{{abstract} na{{\\\"\\i}}ve caf\\'e {i}}}}}\n" for i in range(2000))
    path = write(tmp_path, "accents.bib", text)
    started = time.perf_counter()
    sources = parse(path).sources
    assert time.perf_counter() - started < 20  # each accent read on its own: about 1 s here, 20 s read whole
    assert len(sources) == 2000
    assert sources[7].text.endswith("naïve café 7")
    assert sources[7].attributes["Authors"] == "Müller, J.; García, L."


def _library_snapshot(project: Project) -> tuple[object, ...]:
    sources = project.sources()
    return (
        [(s.name, s.folder_id, s.length, s.sha256, s.kind, project.source_text(s.id), project.spans(s.id),
          project.attribute_values("source", s.id)) for s in sources],
        [(a.name, a.type, a.scope, a.choices) for a in project.attributes()],
        project.check(),
    )


def test_a_large_library_lands_as_its_entries_would_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qcode.core.project import importing

    # invented entries: repeated titles and authors (names that need a number), a name already in the project
    # in another case, journals that a choice attribute of the project does not list yet
    entries = "".join(
        f"@article{{k{i}, author={{Surname{i % 7}, Given}}, title={{On the river {i % 40}}}, year={{{1990 + i % 9}}}, "
        f"journal={{Journal {i % 5}}}, keywords={{river, {i % 3}}}, abstract={{An invented abstract {i}.}}}}\n"
        for i in range(120))
    library = write(tmp_path, "library.bib", entries)
    snapshots = []
    for many in (importing.MANY_SOURCES, 10**9):  # the batch path, then one source at a time
        monkeypatch.setattr(importing, "MANY_SOURCES", many)
        with Project.create(tmp_path / f"p{many}.qcode") as project:
            project.add_source("surname0 1990 - on the river 0", "Already here (invented).")
            journal = project.create_attribute("Journal", "choice", scope="source", choices=("Journal 3",))
            assert project.import_file(library).status == "imported"
            assert project.attribute(journal.id).choices == ("Journal 3", "Journal 0", "Journal 1", "Journal 2",
                                                             "Journal 4")
            snapshots.append(_library_snapshot(project))
    assert snapshots[0] == snapshots[1]
    names = [row[0] for row in snapshots[0][0]]
    assert len(names) == 121
    assert len({n.casefold() for n in names}) == 121
    assert "Surname0 1990 - On the river 0 (2)" in names
    assert snapshots[0][2] == []
