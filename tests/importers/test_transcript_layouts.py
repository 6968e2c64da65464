"""Speaker turns in the transcript layouts researchers bring: Zoom, Teams, lower-case labels, and what is no speaker.

Every transcript here is fictional and written by the test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx

from qcode.core.importers import ImportOptions, find_importer
from qcode.core.project import Project

QCODE = Path(sys.executable).parent / "qcode"


def parse(path: Path):
    return find_importer(path).parse(path, ImportOptions(), None).sources[0]


def turns(source) -> list[tuple[str, str]]:
    return [(s.value, source.text[s.start:s.end]) for s in source.spans if s.kind == "turn"]


def stamps(source) -> list[str]:
    return [s.value for s in source.spans if s.kind == "timestamp"]


ZOOM = ("[Rosa Lind] 11:02:09\nWelcome, and thanks for joining the allotment group call.\n\n"
        "[tom ashby] 11:02:15\nGlad to be here.\nThe plot is doing well.\n\n"
        "[Rosa Lind] 11:03:01\nWhat changed this spring?\n\n"
        "[tom ashby] 11:03:07\nWe share the shed now.\n")


def test_zoom_saved_transcript_has_turns_and_times(tmp_path: Path) -> None:
    path = tmp_path / "zoom.txt"
    path.write_text(ZOOM, encoding="utf-8")
    source = parse(path)
    assert [name for name, _ in turns(source)] == ["Rosa Lind", "tom ashby", "Rosa Lind", "tom ashby"]
    assert turns(source)[1][1] == "[tom ashby] 11:02:15\nGlad to be here.\nThe plot is doing well."
    assert stamps(source) == ["11:02:09", "11:02:15", "11:03:01", "11:03:07"]


def test_zoom_layout_without_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "zoom-dense.txt"
    path.write_text(ZOOM.replace("\n\n", "\n"), encoding="utf-8")
    source = parse(path)
    assert [name for name, _ in turns(source)] == ["Rosa Lind", "tom ashby", "Rosa Lind", "tom ashby"]
    assert turns(source)[3][1] == "[tom ashby] 11:03:07\nWe share the shed now."


def test_zoom_speakers_become_cases_and_autocode_by_speaker_skips_the_label_line(project: Project,
                                                                                 tmp_path: Path) -> None:
    path = tmp_path / "zoom.txt"
    path.write_text(ZOOM, encoding="utf-8")
    outcome = project.import_file(path, speaker_cases=True)
    assert outcome.status == "imported"
    source_id = outcome.source_ids[0]
    text = project.source_text(source_id)
    tom = project.find_case("tom ashby")
    assert [text[m.start:m.end].split("\n")[0] for m in project.case_members(tom.id)] == [
        "[tom ashby] 11:02:15", "[tom ashby] 11:03:07"]
    assert project.speakers() == [("Rosa Lind", 2), ("tom ashby", 2)]
    ranges = project.autocode_ranges(speakers=["tom ashby"], unit="turn")
    assert [text[start:end] for _, start, end in ranges] == ["Glad to be here.\nThe plot is doing well.",
                                                     "We share the shed now."]
    assert project.describe_location(source_id, text.index("We share")).startswith("11:03:07, tom ashby")


LOWER = "\n\n".join(
    f"{'interviewer' if i % 2 == 0 else 'interviewee'}: fictional line {i} about the walking group."
    for i in range(12))


def test_lower_case_labels_that_repeat_are_speakers(tmp_path: Path) -> None:
    path = tmp_path / "hand-typed.txt"
    path.write_text(LOWER + "\n\nint: one more question?\n\np1: yes.\n\nint: thanks.\n\np1: bye.\n\n"
                    "int: end.\n\np1: end.", encoding="utf-8")
    source = parse(path)
    names = [name for name, _ in turns(source)]
    assert names[:4] == ["interviewer", "interviewee", "interviewer", "interviewee"]
    assert names[12:] == ["int", "p1", "int", "p1", "int", "p1"]


def test_lower_case_words_used_twice_are_no_speakers(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Ana: Hello.\n\nBen: Hi.\n\nAna: Bye.\n\nnote: not a speaker\n\nnote: nor this", encoding="utf-8")
    assert [name for name, _ in turns(parse(path))] == ["Ana", "Ben", "Ana"]


def test_a_legend_letter_in_a_menu_is_no_speaker(tmp_path: Path) -> None:
    path = tmp_path / "menu.txt"
    path.write_text("Canteen menu, week 12\n\nMonday: lentil soup\n\nTuesday: bean stew\n\nWednesday: pasta bake\n\n"
                    "Thursday: curry\n\nFriday: fish pie\n\nX: contains nuts\n\nV: vegetarian\n\n"
                    "Saturday: closed\n\nSunday: closed\n\nX: contains nuts\n\nV: vegetarian", encoding="utf-8")
    assert [name for name, _ in turns(parse(path))] == []


def test_one_letter_labels_of_an_interview_are_speakers(tmp_path: Path) -> None:
    path = tmp_path / "ib.txt"
    path.write_text("Interview 4, fictional\n\nI: Where do you meet?\n\nB: At the shed.\n\nMostly on Fridays.\n\n"
                    "I: Who comes?\n\nB: Retired men, a few younger.\n\nI: Thanks.", encoding="utf-8")
    assert [name for name, _ in turns(parse(path))] == ["I", "B", "I", "B", "I"]


def test_teams_transcript_in_word(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Allotment group check-in")
    document.add_paragraph("Transcript")
    for name, time, words in (("Rosa Lind", "0:03", "Shall we start?"), ("Tom Ashby", "0:09", "Yes, go ahead."),
                              ("Rosa Lind", "1:12", "How was the harvest?"), ("Tom Ashby", "1:20", "Plenty.")):
        document.add_paragraph(f"{name}   {time}")
        document.add_paragraph(words)
    path = tmp_path / "teams.docx"
    document.save(str(path))
    source = parse(path)
    assert turns(source)[0] == ("Rosa Lind", "Rosa Lind   0:03\n\nShall we start?")
    assert [name for name, _ in turns(source)] == ["Rosa Lind", "Tom Ashby", "Rosa Lind", "Tom Ashby"]
    assert stamps(source) == ["00:00:03", "00:00:09", "00:01:12", "00:01:20"]


def test_older_teams_transcript_with_cue_lines_in_word(tmp_path: Path) -> None:
    document = docx.Document()
    for start, end, name, words in (("0:0:0.0", "0:0:4.910", "Rosa Lind", "Shall we start?"),
                                    ("0:0:5.100", "0:0:7.20", "Tom Ashby", "Yes, go ahead."),
                                    ("0:1:2.0", "0:1:5.0", "Rosa Lind", "How was the harvest?")):
        document.add_paragraph(f"{start} --> {end}")
        document.add_paragraph(name)
        document.add_paragraph(words)
    path = tmp_path / "teams-old.docx"
    document.save(str(path))
    source = parse(path)
    assert [name for name, _ in turns(source)] == ["Rosa Lind", "Tom Ashby", "Rosa Lind"]
    assert stamps(source) == ["00:00:00", "00:00:05", "00:01:02"]
    assert turns(source)[1][1] == "0:0:5.100 --> 0:0:7.20\n\nTom Ashby\n\nYes, go ahead."


def test_cue_lines_in_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "cues.txt"
    path.write_text("0:0:0.0 --> 0:0:4.910\nRosa Lind\nShall we start?\n\n0:0:5.100 --> 0:0:7.20\nTom Ashby\n"
                    "Yes.\n\n0:0:8.0 --> 0:0:9.0\nRosa Lind\nGood.", encoding="utf-8")
    source = parse(path)
    assert [name for name, _ in turns(source)] == ["Rosa Lind", "Tom Ashby", "Rosa Lind"]
    assert stamps(source) == ["00:00:00", "00:00:05", "00:00:08"]


def test_lower_case_labels_in_captions(tmp_path: Path) -> None:
    path = tmp_path / "lower.srt"
    cues = [("int", "Where do you meet?"), ("p1", "At the shed."), ("int", "When?"), ("p1", "Fridays."),
            ("int", "Thanks."), ("p1", "Bye.")]
    path.write_text("".join(f"{i + 1}\n00:00:0{i},000 --> 00:00:0{i},900\n{name}: {words}\n\n"
                            for i, (name, words) in enumerate(cues)), encoding="utf-8")
    source = parse(path)
    assert [name for name, _ in turns(source)] == ["int", "p1", "int", "p1", "int", "p1"]


def test_zoom_transcript_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "zoom.txt"
    path.write_text(ZOOM, encoding="utf-8")
    target = tmp_path / "p.qcode"
    Project.create(target).close()
    result = subprocess.run([str(QCODE), "import", str(target), str(path), "--speaker-cases",
                             "--autocode-speakers"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    with Project.open(target, mode="read") as project:
        assert sorted(case.name for case in project.cases()) == ["Rosa Lind", "tom ashby"]
        assert project.find_code("Speakers/tom ashby") is not None


def test_f4_transcript_times_at_paragraph_ends_start_the_next_turn(tmp_path: Path) -> None:
    path = tmp_path / "f4.txt"
    path.write_text("I: Wie oft sind Sie im Garten? #00:00:04-2#\n\nB: Jeden Tag, meistens morgens. #00:00:09-8#\n\n"
                    "I: Mit wem? #00:00:12-0#\n\nB: Mit meinem Nachbarn. #00:00:15-5#", encoding="utf-8")
    source = parse(path)
    assert [name for name, _ in turns(source)] == ["I", "B", "I", "B"]
    assert stamps(source) == ["00:00:04", "00:00:09", "00:00:12"]
    timed = [(source.text[s.start:s.end][:2], s.value) for s in source.spans if s.kind == "timestamp"]
    assert timed == [("B:", "00:00:04"), ("I:", "00:00:09"), ("B:", "00:00:12")]


def test_google_meet_times_on_their_own_lines_and_times_after_the_label(tmp_path: Path) -> None:
    path = tmp_path / "meet.txt"
    path.write_text("Allotment call - Transcript\n\n00:00:00\n\nRosa Lind: Shall we start?\n\nTom Ashby: Yes.\n\n"
                    "00:05:00\n\nRosa Lind: Five minutes in.\n\nTom Ashby: Indeed.", encoding="utf-8")
    source = parse(path)
    assert [name for name, _ in turns(source)] == ["Rosa Lind", "Tom Ashby", "Rosa Lind", "Tom Ashby"]
    timed = [(source.text[s.start:s.end].split(":")[0], s.value) for s in source.spans if s.kind == "timestamp"]
    assert timed == [("Rosa Lind", "00:00:00"), ("Rosa Lind", "00:05:00")]
    sonix = tmp_path / "sonix.txt"
    sonix.write_text("Rosa: [00:00:05] Shall we start?\n\nTom: [00:00:09] Yes.\n\nRosa: [00:01:10] Good.",
                     encoding="utf-8")
    assert stamps(parse(sonix)) == ["00:00:05", "00:00:09", "00:01:10"]


def test_teams_speakers_as_cases_and_autocode_codes_their_words(project: Project, tmp_path: Path) -> None:
    document = docx.Document()
    for start, end, name, words in (("0:0:0.0", "0:0:4.910", "Rosa Lind", "Shall we start?"),
                                    ("0:0:5.100", "0:0:7.20", "Tom Ashby", "Yes, go ahead."),
                                    ("0:1:2.0", "0:1:5.0", "Tom Ashby", "The shed is ready.")):
        document.add_paragraph(f"{start} --> {end}")
        document.add_paragraph(name)
        document.add_paragraph(words)
    for name, time, words in (("Rosa Lind", "1:12", "Good."), ("Rosa Lind", "1:20", "Thanks.")):
        document.add_paragraph(f"{name}   {time}")
        document.add_paragraph(words)
    path = tmp_path / "teams.docx"
    document.save(str(path))
    outcome = project.import_file(path, speaker_cases=True)
    assert outcome.status == "imported", outcome.reason
    text = project.source_text(outcome.source_ids[0])
    assert sorted(case.name for case in project.cases()) == ["Rosa Lind", "Tom Ashby"]
    ranges = project.autocode_ranges(speakers=["Tom Ashby"], unit="turn")
    assert [text[start:end] for _, start, end in ranges] == ["Yes, go ahead.", "The shed is ready."]
    ranges = project.autocode_ranges(speakers=["Rosa Lind"], unit="turn")
    assert [text[start:end] for _, start, end in ranges] == ["Shall we start?", "Good.", "Thanks."]


def test_labels_typed_with_different_capitals_are_one_speaker(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_text("Interviewer: One?\n\nResp: Yes.\n\ninterviewer: Two?\n\nresp: No.\n\nInterviewer: Three?\n\n"
                    "Resp: Maybe.", encoding="utf-8")
    assert [name for name, _ in turns(parse(path))] == ["Interviewer", "Resp"] * 3


def test_autocoding_a_speaker_leaves_out_labels_in_any_capitals(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_text("Interviewer: One?\n\nResp: Yes.\n\ninterviewer: Two?\n\nresp: No.\n\nInterviewer: Three?\n\n"
                    "Resp: Maybe.", encoding="utf-8")
    outcome = project.import_file(path)
    text = project.source_text(outcome.source_ids[0])
    ranges = project.autocode_ranges(speakers=["Resp"], unit="turn")
    assert [text[start:end] for _, start, end in ranges] == ["Yes.", "No.", "Maybe."]


def test_a_lower_case_word_repeated_in_field_notes_is_no_speaker(tmp_path: Path) -> None:
    notes = [f"Visit {i}: the allotments were busy and the shed was open." for i in range(1, 9)]
    notes[2:2] = ["todo: ask about the water butts."]
    notes[5:5] = ["todo: bring the rota."]
    notes.append("todo: send thanks.")
    path = tmp_path / "fieldnotes.txt"
    path.write_text("\n\n".join(notes), encoding="utf-8")
    assert [name for name, _ in turns(parse(path))] == []


def test_zoom_chat_and_one_line_captions(project: Project, tmp_path: Path) -> None:
    chat = tmp_path / "chat.txt"
    chat.write_text("10:02:11 From Rosa Lind to Everyone: Welcome, all.\n10:02:40 From tom ashby to Everyone: Hi!\n"
                    "10:03:05 From Rosa Lind to Everyone: Shall we start?\n10:03:30 From tom ashby : Yes.\n",
                    encoding="utf-8")
    source = parse(chat)
    assert [name for name, _ in turns(source)] == ["Rosa Lind", "tom ashby", "Rosa Lind", "tom ashby"]
    assert stamps(source) == ["10:02:11", "10:02:40", "10:03:05", "10:03:30"]
    inline = tmp_path / "captions.txt"
    inline.write_text("[Rosa Lind] 11:02:09 Welcome.\n[Tom Ashby] 11:02:15 Glad to be here.\n"
                      "[Rosa Lind] 11:03:01 Good.\n[Tom Ashby] 11:03:07 Indeed.\n", encoding="utf-8")
    source = parse(inline)
    assert [name for name, _ in turns(source)] == ["Rosa Lind", "Tom Ashby", "Rosa Lind", "Tom Ashby"]
    assert stamps(source)[:2] == ["11:02:09", "11:02:15"]
    outcome = project.import_file(chat)
    text = project.source_text(outcome.source_ids[0])
    ranges = project.autocode_ranges(speakers=["tom ashby"], unit="turn")
    assert [text[start:end] for _, start, end in ranges] == ["Hi!", "Yes."]


def test_time_dash_name_lines(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "happy.txt"
    path.write_text("[00:00:05.12] - Rosa Lind\nShall we start?\n\n[00:00:09.40] - Tom Ashby\nYes.\n\n"
                    "[00:01:10.00] - Rosa Lind\nGood.\n\n[00:01:15.00] - Tom Ashby\nFine.", encoding="utf-8")
    source = parse(path)
    assert [name for name, _ in turns(source)] == ["Rosa Lind", "Tom Ashby", "Rosa Lind", "Tom Ashby"]
    assert stamps(source) == ["00:00:05", "00:00:09", "00:01:10", "00:01:15"]
    outcome = project.import_file(path)
    text = project.source_text(outcome.source_ids[0])
    ranges = project.autocode_ranges(speakers=["Tom Ashby"], unit="turn")
    assert [text[start:end] for _, start, end in ranges] == ["Yes.", "Fine."]


def test_name_and_time_lines_without_a_colon(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "descript.txt"
    path.write_text("Rosa Lind (00:05)\nShall we start?\n\nTom Ashby (00:09)\nYes.\n\nRosa Lind [01:10]\nGood.\n\n"
                    "Tom Ashby (01:15)\nFine.", encoding="utf-8")
    source = parse(path)
    assert [name for name, _ in turns(source)] == ["Rosa Lind", "Tom Ashby", "Rosa Lind", "Tom Ashby"]
    assert stamps(source) == ["00:00:05", "00:00:09", "00:01:10", "00:01:15"]
    outcome = project.import_file(path)
    text = project.source_text(outcome.source_ids[0])
    ranges = project.autocode_ranges(speakers=["Tom Ashby"], unit="turn")
    assert [text[start:end] for _, start, end in ranges] == ["Yes.", "Fine."]
