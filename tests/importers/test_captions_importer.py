"""WebVTT and SubRip captions: cues to a transcript of turns, with timestamps; hostile and broken files."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError, UnsupportedFormatError
from qcode.core.importers import ImportOptions, find_importer
from qcode.core.importers.captions import clock
from qcode.core.project import Project


def parse(path: Path, options: ImportOptions | None = None):
    result = find_importer(path).parse(path, options or ImportOptions(), None)
    assert len(result.sources) == 1
    source = result.sources[0]
    assert source.kind == "captions"
    assert all(0 <= s.start <= s.end <= len(source.text) for s in source.spans)
    assert source.spans == sorted(source.spans, key=lambda s: (s.start, s.kind))
    return source


def covered(source, kind: str) -> list[tuple[str, str | None]]:
    return [(source.text[s.start:s.end], s.value) for s in source.spans if s.kind == kind]


def write(tmp_path: Path, name: str, text: str, *, crlf: bool = False, bom: bool = False) -> Path:
    path = tmp_path / name
    data = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    return path


TEAMS_VTT = """WEBVTT - Team meeting

STYLE
::cue { color: yellow }

REGION
id:left width:40%

NOTE This is a comment
that spans two lines

a1b2/1-0
00:00:01.000 --> 00:00:03.500 align:start position:10%
<v Amira Haddad>Thanks for <b>joining</b> &amp; welcome.</v>

a1b2/2-0
00:00:03.500 --> 00:00:05.000
<v Amira Haddad>Shall we <i>start</i>?</v>

00:00:05.000 --> 00:01:02.250
<v.loud Tomás Ruiz>Yes &lt;finally&gt;&nbsp;we can.
Second line.</v>

01:02:03.500 --> 01:02:05.000 line:0
<v Amira Haddad><c.yellow>Great</c>.
"""


def test_vtt_with_voice_tags_bom_crlf_and_blocks(tmp_path: Path) -> None:
    source = parse(write(tmp_path, "meeting.vtt", TEAMS_VTT, crlf=True, bom=True))
    assert source.name == "meeting"
    assert source.text == (
        "Amira Haddad: Thanks for joining & welcome. Shall we start?\n\n"
        "Tomás Ruiz: Yes <finally> we can. Second line.\n\n"
        "Amira Haddad: Great."
    )
    paragraphs = source.text.split("\n\n")
    assert covered(source, "paragraph") == [(p, None) for p in paragraphs]
    assert covered(source, "turn") == [
        (paragraphs[0], "Amira Haddad"), (paragraphs[1], "Tomás Ruiz"), (paragraphs[2], "Amira Haddad")]
    assert covered(source, "timestamp") == [
        (paragraphs[0], "00:00:01"), (paragraphs[1], "00:00:05"), (paragraphs[2], "01:02:03")]
    assert source.meta == {"format": "WebVTT", "cues": 4}


def test_vtt_without_speakers_groups_cues_into_timed_paragraphs(tmp_path: Path) -> None:
    sentence = "This sentence is exactly long enough to count for ninety-nine characters of speech, no speaker."
    sentence = sentence + "x" * (99 - len(sentence) - 1) + "."
    assert len(sentence) == 99
    cues = "\n".join(f"{i + 1}\n00:00:{i * 10:02d}.000 --> 00:00:{i * 10 + 9:02d}.000\n{sentence}\n" for i in range(6))
    source = parse(write(tmp_path, "lecture.vtt", "WEBVTT\n\n" + cues))
    paragraph = " ".join([sentence] * 3)
    assert source.text == f"{paragraph}\n\n{paragraph}"
    assert covered(source, "turn") == []
    assert covered(source, "timestamp") == [(paragraph, "00:00:00"), (paragraph, "00:00:30")]


def test_short_vtt_without_speakers_is_one_paragraph(tmp_path: Path) -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nHello\nthere.\n\n00:02.500 --> 00:04.000\nHow are you?\n"
    source = parse(write(tmp_path, "short.vtt", text))
    assert source.text == "Hello there. How are you?"
    assert covered(source, "timestamp") == [("Hello there. How are you?", "00:00:01")]


YOUTUBE_VTT = "\n".join([
    "WEBVTT",
    "Kind: captions",
    "Language: en",
    "",
    "00:00:00.160 --> 00:00:02.990 align:start position:0%",
    " ",
    "so<00:00:00.640><c> today</c><00:00:01.120><c> we</c><00:00:01.600><c> talk</c>",
    "",
    "00:00:02.990 --> 00:00:03.000 align:start position:0%",
    "so today we talk",
    " ",
    "",
    "00:00:03.000 --> 00:00:05.500 align:start position:0%",
    "so today we talk",
    "about<00:00:03.400><c> gardens</c><00:00:04.000><c> and</c><00:00:04.500><c> soil</c>",
    "",
    "00:00:05.500 --> 00:00:05.510 align:start position:0%",
    "about gardens and soil",
    " ",
    "",
])


def test_youtube_vtt_inline_timestamps_and_rolling_lines(tmp_path: Path) -> None:
    source = parse(write(tmp_path, "video.vtt", YOUTUBE_VTT))
    assert source.text == "so today we talk about gardens and soil"
    assert covered(source, "timestamp") == [(source.text, "00:00:00")]
    assert source.meta["language"] == "en"


SRT = """1
00:00:01,000 --> 00:00:02,500
Interviewer: How did the project start?

2
00:00:02,600 --> 00:00:04,000
Interviewer: Take your time.

3
00:00:04,100 --> 00:00:09,000 X1:100 X2:200 Y1:10 Y2:50
Dr Chen: It began in <i>2019</i>,
with a <font color="#ffffff">small</font> grant.

4
00:00:09,100 --> 00:00:10,000
{\\an8}And a lot of luck.

5
01:02:03,500 --> 01:02:06,000
Interviewer: Thank you.
"""


def test_srt_with_name_prefixes_merges_turns(tmp_path: Path) -> None:
    source = parse(write(tmp_path, "interview.srt", SRT, crlf=True))
    assert source.text == (
        "Interviewer: How did the project start? Take your time.\n\n"
        "Dr Chen: It began in 2019, with a small grant. And a lot of luck.\n\n"
        "Interviewer: Thank you."
    )
    paragraphs = source.text.split("\n\n")
    assert covered(source, "turn") == [
        (paragraphs[0], "Interviewer"), (paragraphs[1], "Dr Chen"), (paragraphs[2], "Interviewer")]
    assert [v for _, v in covered(source, "timestamp")] == ["00:00:01", "00:00:04", "01:02:03"]
    assert source.meta == {"format": "SubRip", "cues": 5}


def test_srt_labels_need_a_transcript_and_the_option(tmp_path: Path) -> None:
    once = "1\n00:00:01,000 --> 00:00:02,000\nWarning: hot coffee.\n\n2\n00:00:03,000 --> 00:00:04,000\nReally.\n"
    source = parse(write(tmp_path, "once.srt", once))
    assert source.text == "Warning: hot coffee. Really."
    assert covered(source, "turn") == []
    lower = "1\n00:00:01,000 --> 00:00:02,000\nthe answer is: yes.\n\n2\n00:00:03,000 --> 00:00:04,000\n" \
            "the answer is: no.\n"
    assert covered(parse(write(tmp_path, "lower.srt", lower)), "turn") == []
    source = parse(write(tmp_path, "off.srt", SRT), ImportOptions(detect_speakers=False))
    assert source.text.startswith("Interviewer: How did the project start? Interviewer: Take your time.")
    assert covered(source, "turn") == []


def test_rtl_and_cjk_round_trip(tmp_path: Path) -> None:
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v أحمد>مرحبا بكم في المقابلة.</v>\n\n"
           "00:00:02.000 --> 00:00:03.000\n<v דנה>שלום, תודה רבה.</v>\n")
    source = parse(write(tmp_path, "rtl.vtt", vtt))
    assert source.text == "أحمد: مرحبا بكم في المقابلة.\n\nדנה: שלום, תודה רבה."
    assert [v for _, v in covered(source, "turn")] == ["أحمد", "דנה"]
    srt = ("1\n00:00:01,000 --> 00:00:02,000\n李明: 你好，世界。\n\n2\n00:00:02,000 --> 00:00:03,000\n"
           "田中: こんにちは。\n\n3\n00:00:03,000 --> 00:00:04,000\n李明: 再见。\n")
    path = tmp_path / "cjk.srt"
    path.write_bytes(b"\xff\xfe" + srt.encode("utf-16-le"))
    source = parse(path)
    assert source.text == "李明: 你好，世界。\n\n田中: こんにちは。\n\n李明: 再见。"
    assert [v for _, v in covered(source, "turn")] == ["李明", "田中", "李明"]


def test_cue_under_the_header_odd_identifier_and_voice_line(tmp_path: Path) -> None:
    text = "WEBVTT\nKind: captions\n00:00:01.000 --> 00:00:02.000\nHi.\n\n12:30 intro\n00:00:03.000 --> 00:00:04.000\nBye.\n"
    source = parse(write(tmp_path, "tight.vtt", text))
    assert source.text == "Hi. Bye."
    alone = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ana>\nHello there.\n"
    assert parse(write(tmp_path, "alone.vtt", alone)).text == "Ana: Hello there."


def test_a_block_without_timing_continues_the_cue(tmp_path: Path) -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nFirst part\n\nstill the first cue.\n\n2\n00:00:03,000 --> " \
          "00:00:04,000\nSecond.\n"
    assert parse(write(tmp_path, "gap.srt", srt)).text == "First part still the first cue. Second."


def test_empty_captions_are_refused(tmp_path: Path) -> None:
    with pytest.raises(EmptySourceError, match=r"empty\.vtt holds no captions"):
        parse(write(tmp_path, "empty.vtt", "WEBVTT\n\nNOTE nothing was said\n"))
    with pytest.raises(EmptySourceError):
        parse(write(tmp_path, "tags.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<c> </c>\n"))
    with pytest.raises(EmptySourceError):
        parse(write(tmp_path, "blank.srt", "\n\n"))


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.srt", "1\n00:00:01,000 --> 00:00:02,000\nHi.\n\n2\n00:00:03,000 -> 00:00:04,000\nBye.\n", 6),
        ("bad.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi.\n\n00:00:61.000 --> 00:01:02.000\nBye.\n", 6),
        ("words.vtt", "WEBVTT\n\nintro\nsoon --> later\nHi.\n", 4),
    ],
)
def test_malformed_timing_lines_name_the_line(tmp_path: Path, name: str, text: str, line: int) -> None:
    with pytest.raises(UnreadableFileError, match=f"malformed timing line at line {line}"):
        parse(write(tmp_path, name, text))


def test_sniffing_refuses_what_is_not_captions(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormatError, match="named like a WebVTT caption file"):
        find_importer(write(tmp_path, "notes.vtt", "Just some notes.\n"))
    with pytest.raises(UnsupportedFormatError, match="really a PDF"):
        find_importer(write(tmp_path, "movie.srt", "%PDF-1.7 ..."))
    with pytest.raises(UnsupportedFormatError):
        find_importer(write(tmp_path, "text.srt", "Hello\n00:00:01,000 --> 00:00:02,000\n"))
    binary = tmp_path / "nul.vtt"
    binary.write_bytes(b"WEBVTT\n\n" + b"\x00\x01" * 50)
    with pytest.raises(UnreadableFileError, match="binary"):
        parse(binary)


def test_cancelled_import_stops() -> None:
    class Cancelled:
        def step(self, done: int, total: int, text: str) -> None:
            pass

        def cancelled(self) -> bool:
            return True

    from qcode.core.importers.captions import read_cues

    with pytest.raises(ImportError_, match="cancelled"):
        read_cues("WEBVTT\n\n00:01.000 --> 00:02.000\nHi.\n", "x.vtt", True, Cancelled())


def test_clock_always_shows_hours() -> None:
    assert clock(0) == "00:00:00"
    assert clock(3723.5) == "01:02:03"
    assert clock(100 * 3600 + 59.999) == "100:00:59"


def test_imported_into_a_project_with_speaker_cases(project: Project, tmp_path: Path) -> None:
    outcome = project.import_file(write(tmp_path, "interview.srt", SRT), speaker_cases=True)
    assert outcome.status == "imported", outcome.reason
    source_id = outcome.source_ids[0]
    assert project.source_text(source_id).startswith("Interviewer: How did")
    assert [s.value for s in project.spans(source_id, "timestamp")] == ["00:00:01", "00:00:04", "01:02:03"]
    assert sorted(c.name for c in project.cases()) == ["Dr Chen", "Interviewer"]


PIECES = st.sampled_from(["WEBVTT", "\n", "\n\n", "1", "00:00:01.000", "00:01,5", " --> ", "-->", "<v Ana>", "</v>",
                          "<c>", "<00:00:02.000>", "Ana: ", "words", "&amp;", "&", "<", "NOTE", "é", "😀", " "])


@given(st.lists(PIECES, max_size=40), st.sampled_from(["x.vtt", "x.srt"]))
def test_any_input_gives_a_source_or_a_clear_error(pieces: list[str], name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(("WEBVTT\n\n" if name.endswith("vtt") else "") + "".join(pieces), encoding="utf-8")
        try:
            source = find_importer(path).parse(path, ImportOptions(), None).sources[0]
        except ImportError_:
            return
        assert source.text.strip()
        assert all(0 <= s.start < s.end <= len(source.text) for s in source.spans)
