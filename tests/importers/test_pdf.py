"""The PDF importer: pages, paragraphs, columns, hyphenation, running headers, and every refusal.

PDFs are drawn with reportlab line by line at known positions, so each test knows the layout exactly.
All sample text is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from qcode.core.errors import (
    EmptySourceError,
    FileTooLargeError,
    ImportError_,
    UnreadableFileError,
    UnsupportedFormatError,
)
from qcode.core.importers import find_importer
from qcode.core.importers.base import ImportOptions
from qcode.core.importers.pdf_importer import PdfImporter, clean_line, join_lines

WIDTH, HEIGHT = A4
LEADING = 14


@dataclass
class Page:
    """What to draw on one page: (x, y, text, font size) items and filled rectangles."""

    items: list[tuple[float, float, str, float]] = field(default_factory=list)
    rects: list[tuple[float, float, float, float]] = field(default_factory=list)

    def lines(self, x: float, y: float, lines: list[str], size: float = 11, leading: float = LEADING) -> float:
        """Draw lines downward from y; return the y below the last one."""
        for line in lines:
            self.items.append((x, y, line, size))
            y -= leading
        return y


def write_pdf(path: Path, pages: list[Page], *, title: str | None = None, author: str | None = None,
              encrypt=None, labels: list[tuple[int, str, int]] = ()) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if title:
        pdf.setTitle(title)
    if author:
        pdf.setAuthor(author)
    for page_index, style, start in labels:
        pdf.addPageLabel(page_index, style, start)
    for page in pages:
        for x, y, text, size in page.items:
            pdf.setFont("Helvetica", size)
            pdf.drawString(x, y, text)
        for rect in page.rects:
            pdf.rect(*rect, fill=1)
        pdf.showPage()
    pdf.save()
    return path


def parse(path: Path, **options):
    result = PdfImporter().parse(path, ImportOptions(**options), None)
    assert len(result.sources) == 1
    return result.sources[0]


def covered(source, kind: str) -> list[tuple[str | None, str]]:
    return [(s.value, source.text[s.start:s.end]) for s in source.spans if s.kind == kind]


# --- a three-page article with a running header and footer ---------------------------------------------------

BODY = [
    (["Fieldwork began in a small coastal town where the", "ferry timetable set the rhythm of daily life."],
     ["Most residents described the harbour as the place", "where news travelled fastest."]),
    (["The second round of interviews moved inland to", "farms that had changed hands twice."],
     ["Several owners kept handwritten ledgers of", "weather and prices going back decades."]),
    (["Analysis grouped the accounts into three themes", "about distance, trust and seasonal work."],
     ["A short reflection on method closes the article."]),
]
HEADER = "Journal of Invented Field Studies 12(3)"


def article(path: Path, *, pages: int = 3) -> Path:
    drawn = []
    for number in range(1, pages + 1):
        first, second = BODY[(number - 1) % len(BODY)]
        page = Page()
        page.lines(72, HEIGHT - 40, [HEADER], size=9)
        y = page.lines(72, HEIGHT - 100, first)
        page.lines(72, y - LEADING, second)
        page.lines(WIDTH / 2 - 20, 30, [f"Page {number} of {pages}"], size=9)
        drawn.append(page)
    return write_pdf(path, drawn, title="Tides and Ledgers", author="Ada Inventa")


def body_text(number: int) -> tuple[str, str]:
    first, second = BODY[(number - 1) % len(BODY)]
    return " ".join(first), " ".join(second)


def test_running_header_and_footer_are_dropped(tmp_path: Path) -> None:
    source = parse(article(tmp_path / "tides.pdf"))
    pages = [body_text(n) for n in (1, 2, 3)]
    assert source.text == "\n\n".join(p for pair in pages for p in pair)
    assert source.kind == "pdf"
    assert source.name == "tides"
    assert covered(source, "page") == [(str(n), "\n\n".join(pages[n - 1])) for n in (1, 2, 3)]
    assert covered(source, "paragraph") == [(None, p) for pair in pages for p in pair]
    assert source.spans == sorted(source.spans, key=lambda s: (s.start, s.kind))
    assert source.meta == {"title": "Tides and Ledgers", "author": "Ada Inventa", "pages": 3}


def test_keep_headers_keeps_them_inside_each_page(tmp_path: Path) -> None:
    source = parse(article(tmp_path / "tides.pdf"), keep_headers=True)
    expected_pages = []
    for n in (1, 2, 3):
        expected_pages.append("\n\n".join([HEADER, *body_text(n), f"Page {n} of 3"]))
    assert source.text == "\n\n".join(expected_pages)
    assert covered(source, "page") == [(str(n), expected_pages[n - 1]) for n in (1, 2, 3)]
    assert covered(source, "paragraph")[:4] == [(None, HEADER), (None, body_text(1)[0]), (None, body_text(1)[1]),
                                                (None, "Page 1 of 3")]


def test_two_pages_are_too_few_to_judge_headers(tmp_path: Path) -> None:
    source = parse(article(tmp_path / "short.pdf", pages=2))
    assert source.text.startswith(HEADER + "\n\n")
    assert source.text.endswith("Page 2 of 2")


def test_alternating_headers_on_odd_and_even_pages_are_dropped(tmp_path: Path) -> None:
    sentences = ["Winter mornings began with the bakery queue.", "Children walked to school along the dyke.",
                 "The mill closed in the spring of that year.", "Visitors rarely stayed beyond one night.",
                 "Every account mentioned the storm of the autumn."]
    drawn = []
    for number, sentence in enumerate(sentences, start=1):
        page = Page()
        page.lines(72, HEIGHT - 40, ["Invented Review of Rural Life" if number % 2 else "B. Nomen and C. Fictus"],
                   size=9)
        page.lines(72, HEIGHT - 100, [sentence])
        page.lines(WIDTH - 100, 30, [str(number + 40)], size=9)
        drawn.append(page)
    source = parse(write_pdf(tmp_path / "alternating.pdf", drawn))
    assert covered(source, "paragraph") == [(None, sentence) for sentence in sentences]


# --- layout -------------------------------------------------------------------------------------------------

LEFT = [
    ["Left column opens here with a", "sentence about the river towns."],
    ["A second left paragraph follows", "after a small gap in the column."],
]
RIGHT = [
    ["Right column starts beside it", "and talks about mountain roads."],
    ["The final right paragraph ends", "the page with a closing remark."],
]


def test_two_columns_are_read_left_column_first(tmp_path: Path) -> None:
    page = Page()
    page.lines(72, HEIGHT - 80, ["A Title That Spans Both Columns Of The Invented Paper Page"], size=16)
    for x, column in ((72, LEFT), (320, RIGHT)):
        y = HEIGHT - 140
        for paragraph in column:
            y = page.lines(x, y, paragraph) - LEADING
    source = parse(write_pdf(tmp_path / "columns.pdf", [page]))
    left = [" ".join(p) for p in LEFT]
    right = [" ".join(p) for p in RIGHT]
    assert source.text == "\n\n".join(["A Title That Spans Both Columns Of The Invented Paper Page", *left, *right])
    last_left = max(source.text.index(p) + len(p) for p in left)
    assert all(source.text.index(p) >= last_left for p in right)
    assert covered(source, "page") == [("1", source.text)]


def test_paragraphs_below_a_full_width_block_start_a_new_band(tmp_path: Path) -> None:
    page = Page()
    page.lines(72, HEIGHT - 100, LEFT[0])
    page.lines(320, HEIGHT - 100, RIGHT[0])
    page.lines(72, HEIGHT - 200, ["Figure 1. A wide caption that crosses the gap between the two columns."])
    page.lines(72, HEIGHT - 260, LEFT[1])
    page.lines(320, HEIGHT - 260, RIGHT[1])
    source = parse(write_pdf(tmp_path / "bands.pdf", [page]))
    assert source.text.split("\n\n") == [
        " ".join(LEFT[0]), " ".join(RIGHT[0]),
        "Figure 1. A wide caption that crosses the gap between the two columns.",
        " ".join(LEFT[1]), " ".join(RIGHT[1]),
    ]


def test_hyphenated_line_ends(tmp_path: Path) -> None:
    page = Page()
    page.lines(72, HEIGHT - 100, [
        "The interviews with partici-",
        "pants ran long; COVID-",
        "19 rules shaped the Anglo-",
        "Saxon parish study, and the mother-in-",
        "law spoke last. We paused -",
        "then went on.",
    ])
    source = parse(write_pdf(tmp_path / "hyphens.pdf", [page]))
    assert source.text == ("The interviews with participants ran long; COVID-19 rules shaped the Anglo-Saxon parish "
                           "study, and the mother-in-law spoke last. We paused - then went on.")


@pytest.mark.parametrize(("lines", "joined"), [
    (["hyphen-", "ated"], "hyphenated"),
    (["a well-", "Known case"], "a well-Known case"),
    (["Cross-", "examined"], "Cross-examined"),
    (["a soft\u00ad", "ware tool"], "a software tool"),
    (["from 1990\u2013", "1995"], "from 1990\u20131995"),
    (["one", "two", "three"], "one two three"),
])
def test_join_lines(lines: list[str], joined: str) -> None:
    assert join_lines(lines) == joined


def test_compounds_the_document_writes_with_a_hyphen_keep_it(tmp_path: Path) -> None:
    page = Page()
    page.lines(72, HEIGHT - 100, ["Self-employment was common, and many chose self-",
                                  "employment once the cannery closed; others re-",
                                  "trained as boat builders."])
    source = parse(write_pdf(tmp_path / "compound.pdf", [page]))
    assert source.text == ("Self-employment was common, and many chose self-employment once the cannery closed; "
                           "others retrained as boat builders.")


def test_pieces_of_a_justified_line_are_joined(tmp_path: Path) -> None:
    page = Page()
    y = page.lines(72, HEIGHT - 100, ["The ferry crossing took most of the morning"])
    for x, word in ((72, "because"), (140, "the"), (185, "tide"), (235, "was"), (280, "low")):
        page.items.append((x, y, word, 11))
    page.lines(72, y - LEADING, ["and the pier stood out of the water."])
    source = parse(write_pdf(tmp_path / "justified.pdf", [page]))
    assert source.text == ("The ferry crossing took most of the morning because the tide was low and the pier stood "
                           "out of the water.")


def test_wide_spaces_inside_a_column_are_joined_but_not_across_columns(tmp_path: Path) -> None:
    page = Page()
    page.lines(72, HEIGHT - 100, ["Left column words here, about", "the harbour"])
    page.items.append((240, HEIGHT - 100 - LEADING, "wall.", 11))  # 70 points after "the harbour"
    page.lines(320, HEIGHT - 100, ["Right column words here, about", "the market square."])
    source = parse(write_pdf(tmp_path / "gaps.pdf", [page]))
    assert source.text == ("Left column words here, about the harbour wall.\n\n"
                           "Right column words here, about the market square.")


def test_a_paragraph_running_into_the_next_column_is_joined(tmp_path: Path) -> None:
    page = Page()
    page.lines(72, HEIGHT - 100, ["Fishing families gathered each", "Sunday in the commu-"])
    page.lines(320, HEIGHT - 100, ["nity hall to share the week's", "catch and news."])
    page.lines(320, HEIGHT - 100 - 4 * LEADING, ["A new paragraph starts here."])
    source = parse(write_pdf(tmp_path / "flow.pdf", [page]))
    assert covered(source, "paragraph") == [
        (None, "Fishing families gathered each Sunday in the community hall to share the week's catch and news."),
        (None, "A new paragraph starts here."),
    ]


def test_text_inside_a_form_xobject_is_read(tmp_path: Path) -> None:
    path = tmp_path / "form.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.beginForm("body")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 700, "Words drawn inside a reusable form.")
    pdf.endForm()
    pdf.doForm("body")
    pdf.showPage()
    pdf.save()
    assert parse(path).text == "Words drawn inside a reusable form."


def test_speaker_turns_in_a_transcript(tmp_path: Path) -> None:
    page = Page()
    y = HEIGHT - 100
    for line in ("Interviewer: When did you first come here?", "P1: In the winter of the big storm.",
                 "Interviewer: What do you remember?", "P1: The roof of the chapel flying off."):
        y = page.lines(72, y, [line]) - LEADING
    source = parse(write_pdf(tmp_path / "transcript.pdf", [page]))
    assert [value for value, _ in covered(source, "turn")] == ["Interviewer", "P1", "Interviewer", "P1"]
    assert not [s for s in parse(tmp_path / "transcript.pdf", detect_speakers=False).spans if s.kind == "turn"]


def test_clean_line_spells_out_ligatures_and_squeezes_spaces() -> None:
    assert clean_line("  the \ufb01eld   of  \ufb02ows \n") == "the field of flows"


def test_indented_first_lines_split_a_box_into_paragraphs(tmp_path: Path) -> None:
    page = Page()
    page.lines(72, HEIGHT - 100, ["It rained for the whole first week of the", "visit, which kept everyone indoors."])
    page.lines(90, HEIGHT - 100 - 2 * LEADING, ["Later the roads opened again and the team"])
    page.lines(72, HEIGHT - 100 - 3 * LEADING, ["could travel to the upper valley."])
    source = parse(write_pdf(tmp_path / "indent.pdf", [page]))
    assert covered(source, "paragraph") == [
        (None, "It rained for the whole first week of the visit, which kept everyone indoors."),
        (None, "Later the roads opened again and the team could travel to the upper valley."),
    ]


def test_page_labels_are_used_and_empty_pages_get_no_span(tmp_path: Path) -> None:
    pages = [Page(), Page(), Page(rects=[(100, 100, 200, 200)]), Page()]
    pages[0].lines(72, 700, ["Preface written by an invented editor."])
    pages[1].lines(72, 700, ["Contents of the invented volume."])
    pages[3].lines(72, 700, ["The first chapter begins on this page."])
    source = parse(write_pdf(tmp_path / "labels.pdf", pages, labels=[(0, "ROMAN_LOWER", 1), (2, "ARABIC", 1)]))
    assert covered(source, "page") == [
        ("i", "Preface written by an invented editor."),
        ("ii", "Contents of the invented volume."),
        ("2", "The first chapter begins on this page."),
    ]
    assert source.meta["pages"] == 4


def test_owner_password_only_is_read(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    page = Page()
    page.lines(72, 700, ["Readable words behind an owner password."])
    locked = StandardEncryption("", "owner-secret", canCopy=0)
    source = parse(write_pdf(tmp_path / "owner.pdf", [page], encrypt=locked))
    assert source.text == "Readable words behind an owner password."


# --- progress and limits ------------------------------------------------------------------------------------


class Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.steps: list[tuple[int, int]] = []
        self.cancel_after = cancel_after

    def step(self, done: int, total: int, text: str) -> None:
        self.steps.append((done, total))

    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.steps) >= self.cancel_after


def test_progress_per_page(tmp_path: Path) -> None:
    recorder = Recorder()
    PdfImporter().parse(article(tmp_path / "tides.pdf"), ImportOptions(), recorder)
    assert recorder.steps == [(1, 3), (2, 3), (3, 3)]


def test_cancel_stops_the_import(tmp_path: Path) -> None:
    recorder = Recorder(cancel_after=1)
    with pytest.raises(ImportError_, match=r"^Import cancelled\.$"):
        PdfImporter().parse(article(tmp_path / "tides.pdf"), ImportOptions(), recorder)
    assert recorder.steps == [(1, 3)]


def test_too_much_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileTooLargeError, match=r"tides\.pdf holds more than"):
        parse(article(tmp_path / "tides.pdf"), max_text_chars=100)


def test_forty_page_two_column_article_is_quick(tmp_path: Path) -> None:
    import time

    words = ["harbour", "ledger", "ferry", "valley", "season", "kinship", "memory", "archive", "weather", "bakery"]
    drawn = []
    for number in range(1, 41):
        page = Page()
        page.lines(72, HEIGHT - 40, ["Invented Journal of Coastal Memory 9 (2031)"], size=8)
        page.lines(WIDTH / 2, 30, [str(number)], size=8)
        for column, x in enumerate((50, 310)):
            lines = [" ".join(words[(i + j + number + column) % 10] for j in range(5)) for i in range(30)]
            lines[0] = f"Page{number}column{column} {lines[0]}"
            lines[-1] += "."
            page.lines(x, HEIGHT - 80, lines, size=9, leading=11)
        drawn.append(page)
    path = write_pdf(tmp_path / "long.pdf", drawn)
    started = time.perf_counter()
    source = parse(path)
    assert time.perf_counter() - started < 20
    pages = covered(source, "page")
    assert [label for label, _ in pages] == [str(n) for n in range(1, 41)]
    assert "Invented Journal" not in source.text
    for number, (_, text) in enumerate(pages, start=1):
        left, right = text.split("\n\n")
        assert left.startswith(f"Page{number}column0 ")
        assert right.startswith(f"Page{number}column1 ")
        assert right.endswith(".")


# --- refusals -----------------------------------------------------------------------------------------------


def test_registered_for_pdf_and_sniffs_the_signature(tmp_path: Path) -> None:
    path = article(tmp_path / "tides.pdf")
    assert isinstance(find_importer(path), PdfImporter)
    assert PdfImporter().sniff(b"%PDF-1.7\n")
    assert not PdfImporter().sniff(b"PK\x03\x04")


def test_image_only_pdf_says_it_has_no_text(tmp_path: Path) -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawImage(ImageReader(Image.new("L", (40, 60), 200)), 50, 50, width=400, height=600)
    pdf.showPage()
    pdf.save()
    with pytest.raises(EmptySourceError, match=r"scan\.pdf.*this PDF has no text \(scanned\?\).*OCR"):
        parse(path)


def test_blank_pdf_says_it_has_no_text(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "blank.pdf", [Page(rects=[(10, 10, 50, 50)]), Page()])
    with pytest.raises(EmptySourceError, match=r"this PDF has no text \(scanned\?\)"):
        parse(path)


def test_password_protected_pdf(tmp_path: Path) -> None:
    page = Page()
    page.lines(72, 700, ["Words nobody may read."])
    path = write_pdf(tmp_path / "locked.pdf", [page], encrypt="open-sesame")
    with pytest.raises(UnreadableFileError, match=r"locked\.pdf is password-protected.*unprotected copy"):
        parse(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    data = article(tmp_path / "whole.pdf").read_bytes()
    for cut in (len(data) // 2, len(data) - 200, 40):
        path = tmp_path / "cut.pdf"
        path.write_bytes(data[:cut])
        with pytest.raises(UnreadableFileError, match=r"cut\.pdf is damaged or incomplete"):
            parse(path)


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "noise.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    with pytest.raises(UnreadableFileError, match=r"noise\.pdf is damaged"):
        parse(path)


def minimal_pdf(path: Path, page_streams: list[bytes]) -> Path:
    """A PDF written by hand: one Helvetica font, one page per content stream."""
    count = len(page_streams)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, stream in enumerate(page_streams):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_hand_written_pdf(tmp_path: Path) -> None:
    path = minimal_pdf(tmp_path / "hand.pdf", [b"BT /F1 12 Tf 72 700 Td (Words typed by hand.) Tj ET",
                                               b"BT /F1 12 Tf 72 700 Td (A second page.) Tj ET"])
    source = parse(path)
    assert source.text == "Words typed by hand.\n\nA second page."
    assert covered(source, "page") == [("1", "Words typed by hand."), ("2", "A second page.")]
    assert source.meta == {"pages": 2}


def test_pdf_without_pages(tmp_path: Path) -> None:
    with pytest.raises(EmptySourceError, match=r"empty\.pdf holds no pages"):
        parse(minimal_pdf(tmp_path / "empty.pdf", []))


def test_pdf_with_only_an_empty_text_object(tmp_path: Path) -> None:
    with pytest.raises(EmptySourceError, match=r"this PDF has no text \(scanned\?\)"):
        parse(minimal_pdf(tmp_path / "hollow.pdf", [b"BT ET"]))


def test_missing_pdf_reader_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pdfminer.converter", None)
    with pytest.raises(UnsupportedFormatError, match=r"pdfminer\.six package"):
        parse(article(tmp_path / "tides.pdf"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match=r"gone\.pdf cannot be read"):
        parse(tmp_path / "gone.pdf")


def test_cjk_text_and_speakers(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # a standard font: the PDF names it, embeds nothing
    path = tmp_path / "cjk.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("STSong-Light", 14)
    lines = ["王：我们每周见面。", "李：谢谢你的时间。", "王：下次再见。"]  # a fictional exchange
    for index, line in enumerate(lines):
        pdf.drawString(72, 700 - 60 * index, line)
    pdf.showPage()
    pdf.save()
    source = parse(path)
    assert source.text == "\n\n".join(lines)
    assert [s.value for s in source.spans if s.kind == "turn"] == ["王", "李", "王"]
