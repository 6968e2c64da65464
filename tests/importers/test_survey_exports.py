"""Survey exports with more than one header row (SurveyMonkey, Qualtrics), and blank rows between respondents.

The files are fictional and written here, laid out as the survey tools lay out their exports.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from qcode.core.errors import UnreadableFileError
from qcode.core.importers import ImportOptions, SurveyOptions, find_importer
from qcode.core.importers.survey_columns import survey_columns
from qcode.core.importers.survey_headers import column_labels, header_row_count
from qcode.core.project import Project


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


SURVEYMONKEY = [
    ["Respondent ID", "Collector ID", "Start Date", "What is your age group?", "Which sports do you play?", "", "",
     "What helps you most when things get hard?"],
    ["", "", "", "Response", "Football", "Rugby", "Other (please specify)", "Open-Ended Response"],
    ["114177288291", "431", "03/12/2024 10:22:01 AM", "25-34", "Football", "", "", "Talking it through with mates."],
    ["114177288292", "431", "03/12/2024 10:31:40 AM", "35-44", "", "Rugby", "", "A long walk with the dog."],
    ["", "", "", "", "", "", "", ""],
    ["114177288293", "431", "03/13/2024 09:02:13 AM", "25-34", "", "", "Darts", "Honestly, the shed."],
]

QUALTRICS = [
    ["StartDate", "ResponseId", "Q1", "Q2", "Q3_TEXT"],
    ["Start Date", "Response ID", "How old are you?", "Where do you meet others?", "What else should we know?"],
    ['{"ImportId":"startDate","timeZone":"America/Denver"}', '{"ImportId":"_recordId"}', '{"ImportId":"QID1"}',
     '{"ImportId":"QID2"}', '{"ImportId":"QID3_TEXT"}'],
    ["2024-03-12 10:22:01", "R_1a2B3c", "34", "At the allotments.", "Nothing more."],
    ["2024-03-12 10:40:55", "R_4d5E6f", "41", "On the pitch.", ""],
]


def test_surveymonkey_second_row_is_a_header_and_labels_the_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "monkey.csv", SURVEYMONKEY)
    columns = survey_columns(path)
    assert [c.header for c in columns.columns] == [
        "Respondent ID", "Collector ID", "Start Date", "What is your age group?",
        "Which sports do you play? - Football", "Which sports do you play? - Rugby",
        "Which sports do you play? - Other (please specify)", "What helps you most when things get hard?"]
    assert columns.rows_seen == 3
    assert columns.columns[0].role == "id"
    assert columns.columns[4].role == "attribute"
    assert columns.notes == ("the first 2 rows are headers; columns are named by their question text",
                             "1 blank row skipped (row 5)")


def test_surveymonkey_import(project: Project, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "monkey.csv", SURVEYMONKEY)
    options = ImportOptions(survey=SurveyOptions("Respondent ID", ("What helps you most when things get hard?",),
                                                 ("D", "Which sports do you play? - Other (please specify)")))
    outcome = project.import_file(path, options=options)
    assert outcome.status == "imported", outcome.reason
    assert "1 blank row skipped (row 5)" in outcome.reason
    assert sorted(case.name for case in project.cases()) == ["114177288291", "114177288292", "114177288293"]
    (source,) = project.sources()
    assert source.name == "What helps you most when things get hard?"
    assert project.source_text(source.id).split("\n\n") == [
        "Talking it through with mates.", "A long walk with the dog.", "Honestly, the shed."]
    names = sorted(a.name for a in project.attributes())
    assert names == ["What is your age group?", "Which sports do you play? - Other (please specify)"]


def test_qualtrics_three_header_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "qualtrics.csv", QUALTRICS)
    columns = survey_columns(path)
    assert [c.header for c in columns.columns] == ["StartDate", "ResponseId", "How old are you?",
                                                   "Where do you meet others?", "What else should we know?"]
    assert columns.columns[1].role == "id"
    assert [c.name for c in columns.columns] == ["", "", "Q1", "Q2", "Q3_TEXT"]
    options = ImportOptions(survey=SurveyOptions("ResponseId", ("Q2", "What else should we know?"), ("Q1",)))
    result = find_importer(path).parse(path, options, None)
    assert [case.name for case in result.cases] == ["R_1a2B3c", "R_4d5E6f"]
    assert [s.name for s in result.sources] == ["Where do you meet others?", "What else should we know?"]
    assert result.sources[0].text == "At the allotments.\n\nOn the pitch."
    assert result.cases[0].attributes == {"How old are you?": 34}
    assert result.attribute_types == {("case", "How old are you?"): "number"}


def test_qualtrics_workbook(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in QUALTRICS:
        sheet.append(row)
    path = tmp_path / "qualtrics.xlsx"
    workbook.save(path)
    options = ImportOptions(survey=SurveyOptions("ResponseId", ("Where do you meet others?",)))
    result = find_importer(path).parse(path, options, None)
    assert [case.name for case in result.cases] == ["R_1a2B3c", "R_4d5E6f"]


def test_a_first_respondent_is_not_taken_for_a_header() -> None:
    rows = [["ID", "Age", "Answer"], ["1", "34", "Walks."], ["2", "41", "Talks."], ["3", "29", "Sheds."]]
    assert header_row_count(rows) == 1
    text_only = [["ID", "Answer"], ["R1", "Walks and talks with friends."], ["R2", "Sheds."]]
    assert header_row_count(text_only) == 1
    assert column_labels(rows[:1], 3) == ["ID", "Age", "Answer"]


def test_a_respondent_without_an_id_is_still_refused_not_taken_for_a_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gap.csv", [["ID", "Group", "Answer"], ["", "a", "Walks."], ["12", "b", "Talks."],
                                           ["13", "a", "Sheds."]])
    with pytest.raises(UnreadableFileError, match="rows without a respondent id"):
        find_importer(path).parse(path, ImportOptions(survey=SurveyOptions("ID", ("Answer",))), None)


def test_columns_under_the_same_question_text_stay_apart(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "twice.csv", [["ResponseId", "Q1", "Q2"],
                                              ["Response ID", "How are you?", "How are you?"],
                                              ["R_1", "Fine.", "Tired."], ["R_2", "Well.", "Busy."]])
    assert [c.header for c in survey_columns(path).columns] == ["ResponseId", "How are you? (B)", "How are you? (C)"]
    options = ImportOptions(survey=SurveyOptions("ResponseId", ("Q1", "Q2")))
    result = find_importer(path).parse(path, options, None)
    assert [s.name for s in result.sources] == ["How are you? (B)", "How are you? (C)"]
