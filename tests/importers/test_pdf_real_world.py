"""PDFs as real producers make them: right-to-left text in visual order, figures, filled-in forms, fonts
without a character map. Every PDF is drawn here (reportlab, or written byte by byte); the text is invented."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.pdfgen import canvas

from qcode.core.errors import EmptySourceError, UnreadableFileError
from qcode.core.importers import ImportOptions, find_importer
from qcode.core.project import Project

# fonts with Arabic and Hebrew letters that Debian packages ship (fonts-dejavu-core, fonts-noto-core)
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"),
)
ARABIC = "مرحبا بالعالم"
HEBREW = "שלום לכולם בגינה"


def rtl_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = next((p for p in FONT_CANDIDATES if p.exists()), None)
    if path is None:
        pytest.skip("no font with Arabic and Hebrew letters (install fonts-dejavu-core)")
    pdfmetrics.registerFont(TTFont("RtlTest", str(path)))
    return "RtlTest"


def parse(path: Path):
    return find_importer(path).parse(path, ImportOptions(), None).sources[0]


def visual(text: str) -> str:
    """The order in which a PDF producer places the glyphs of a right-to-left line, left to right."""
    from bidi import get_display

    return get_display(text, base_dir="R")


def test_right_to_left_lines_in_visual_order_come_back_in_logical_order(tmp_path: Path) -> None:
    font = rtl_font()
    path = tmp_path / "rtl.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont(font, 14)
    pdf.drawString(72, 760, visual(ARABIC))
    pdf.drawString(72, 700, visual(HEBREW))
    pdf.drawString(72, 640, visual("سارة: نلتقي في الحديقة كل يوم 3 مرات."))
    pdf.drawString(72, 580, "An English line stays as it is.")
    pdf.showPage()
    pdf.save()
    source = parse(path)
    assert source.text.split("\n\n") == [ARABIC, HEBREW, "سارة: نلتقي في الحديقة كل يوم 3 مرات.",
                                         "An English line stays as it is."]


def test_right_to_left_lines_written_in_logical_order_are_kept(tmp_path: Path) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = rtl_font()
    path = tmp_path / "logical.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont(font, 14)
    x = 400.0
    for char in HEBREW:  # each glyph placed right to left, in the order it is read
        x -= stringWidth(char, font, 14)
        pdf.drawString(x, 760, char)
    pdf.showPage()
    pdf.save()
    assert parse(path).text == HEBREW


def test_right_to_left_pdf_can_be_searched_and_coded(project: Project, tmp_path: Path) -> None:
    font = rtl_font()
    path = tmp_path / "search.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont(font, 14)
    pdf.drawString(72, 760, visual(ARABIC))
    pdf.showPage()
    pdf.save()
    outcome = project.import_file(path)
    assert outcome.status == "imported", outcome.reason
    hits = project.search("بالعالم")
    assert len(hits) == 1
    text = project.source_text(outcome.source_ids[0])
    assert text[hits[0].start:hits[0].end] == "بالعالم"


def test_text_inside_figures_is_read(tmp_path: Path) -> None:
    path = tmp_path / "figure.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 760, "The garden plan is shown below.")
    pdf.beginForm("plan")  # a figure: an XObject holding a drawing and its caption
    pdf.rect(72, 500, 200, 150, fill=1)
    pdf.drawString(72, 480, "Figure 1: Plots by the north fence.")
    pdf.endForm()
    pdf.doForm("plan")
    drawing = Drawing(200, 100)  # a vector figure with a label inside it
    drawing.add(Rect(0, 20, 180, 70))
    drawing.add(String(0, 0, "Figure 2: Tool shed rota."))
    drawing.drawOn(pdf, 72, 300)
    pdf.showPage()
    pdf.save()
    paragraphs = parse(path).text.split("\n\n")
    assert "Figure 1: Plots by the north fence." in paragraphs
    assert "Figure 2: Tool shed rota." in paragraphs


def test_filled_in_form_fields_follow_their_page(tmp_path: Path) -> None:
    path = tmp_path / "consent.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 760, "Consent form for the allotment study.")
    pdf.acroForm.textfield(name="participant", value="Rosa Lind", x=72, y=700, width=200, height=20)
    pdf.acroForm.textfield(name="plot", value="", x=72, y=660, width=200, height=20)
    pdf.acroForm.checkbox(name="agree", checked=True, x=72, y=620)
    pdf.acroForm.checkbox(name="photos", checked=False, x=120, y=620)
    pdf.showPage()
    pdf.drawString(72, 760, "Second page.")
    pdf.acroForm.textfield(name="signature", value="R. Lind", x=72, y=700, width=200, height=20)
    pdf.showPage()
    pdf.save()
    source = parse(path)
    assert source.text.split("\n\n") == ["Consent form for the allotment study.", "participant: Rosa Lind",
                                         "agree: Yes", "Second page.", "signature: R. Lind"]
    pages = [(source.text[s.start:s.end], s.value) for s in source.spans if s.kind == "page"]
    assert pages == [("Consent form for the allotment study.\n\nparticipant: Rosa Lind\n\nagree: Yes", "1"),
                     ("Second page.\n\nsignature: R. Lind", "2")]


def type3_pdf(codes: bytes, readable: bytes = b"") -> bytes:
    """A one-page PDF drawing `codes` in a font of glyphs named /g1 /g2 /g3 with no Unicode map, after
    `readable` text in Helvetica."""
    glyph = b"500 0 0 0 500 700 d1 0 0 500 700 re f"
    content = b"BT /F2 12 Tf 72 720 Td (" + readable + b") Tj ET BT /F1 12 Tf 72 700 Td (" + codes + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R /F2 7 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 500 700] /FontMatrix [0.001 0 0 0.001 0 0] "
        b"/CharProcs << /g1 6 0 R /g2 6 0 R /g3 6 0 R >> "
        b"/Encoding << /Type /Encoding /Differences [1 /g1 /g2 /g3] >> /FirstChar 1 /LastChar 3 "
        b"/Widths [500 500 500] >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(glyph) + glyph + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_fonts_without_a_character_map_are_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "nomap.pdf"
    path.write_bytes(type3_pdf(b"\\001\\002\\003\\001\\002\\003 \\003\\002"))
    with pytest.raises(UnreadableFileError, match=r"the PDF has text but no character map \(fonts without "
                                                  r"ToUnicode\); export it again or run OCR"):
        parse(path)


def test_a_scan_is_still_called_a_scan(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(72, 300, 400, 400, fill=1)  # a page with a picture and no text
    pdf.showPage()
    pdf.save()
    with pytest.raises(EmptySourceError, match=r"scanned\?"):
        parse(path)


def test_a_few_unmapped_glyphs_show_as_replacement_characters_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "some.pdf"
    path.write_bytes(type3_pdf(b"\\001\\002", b"Most of this page reads well: the allotment rota for June."))
    result = find_importer(path).parse(path, ImportOptions(), None)
    assert result.sources[0].text == "Most of this page reads well: the allotment rota for June. \ufffd\ufffd"
    assert result.notes == ["2 characters could not be read (their font has no character map) and show as \ufffd"]
