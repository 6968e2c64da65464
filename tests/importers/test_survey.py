"""Survey spreadsheets: columns chosen by header, letter or number; answers as sources, respondents as cases."""

from __future__ import annotations

import datetime as dt
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError, UnsupportedFormatError
from qcode.core.importers import ImportOptions, SurveyOptions, find_importer
from qcode.core.importers.survey import column_letter, infer_attribute, resolve_column
from qcode.core.project import Project

EURO_CSV = (
    "\ufeffID;Age;Group;Joined;What helps?;Anything else?\r\n"
    'R1;34;a;2024-01-05;"Talking to friends;\r\nand long walks";\r\n'
    'R2;41,5;b;2024-02-10;  Sleep  ;"Line one\r\n\r\n\r\nline three"\r\n'
    "R3;29;a;2024-03-01;;Nothing really\r\n"
    ";;;;;\r\n"
)


def survey(id_column: str = "ID", text: tuple[str, ...] = ("What helps?", "Anything else?"),
           attributes: tuple[str, ...] = (), sheet: str | None = None) -> ImportOptions:
    return ImportOptions(survey=SurveyOptions(id_column, text, attributes, sheet))


def parse(path: Path, options: ImportOptions, progress=None):
    return find_importer(path).parse(path, options, progress)


def covered(source, kind: str) -> list[tuple[str, str | None]]:
    return [(source.text[s.start:s.end], s.value) for s in source.spans if s.kind == kind]


@pytest.fixture
def euro_csv(tmp_path: Path) -> Path:
    path = tmp_path / "wave1.csv"
    path.write_bytes(EURO_CSV.encode("utf-8"))
    return path


def test_semicolon_csv_with_quoted_newlines_bom_and_types(euro_csv: Path) -> None:
    result = parse(euro_csv, survey(attributes=("Age", "group", "D")))
    helps, other = result.sources
    assert (helps.name, helps.kind, other.name) == ("What helps?", "survey", "Anything else?")
    assert helps.text == "Talking to friends;\nand long walks\n\nSleep"
    assert other.text == "Line one\nline three\n\nNothing really"
    assert covered(helps, "paragraph") == [("Talking to friends;\nand long walks", None), ("Sleep", None)]
    assert covered(helps, "turn") == [("Talking to friends;\nand long walks", "R1"), ("Sleep", "R2")]
    assert covered(other, "turn") == [("Line one\nline three", "R2"), ("Nothing really", "R3")]
    assert [s.kind for s in helps.spans] == ["paragraph", "turn", "paragraph", "turn"]
    assert [c.name for c in result.cases] == ["R1", "R2", "R3"]
    r1, r2, r3 = result.cases
    assert r1.attributes == {"Age": 34, "Group": "a", "Joined": "2024-01-05"}
    assert r2.attributes == {"Age": 41.5, "Group": "b", "Joined": "2024-02-10"}
    assert r1.members == [(0, 0, 34)]
    assert r2.members == [(0, 36, 41), (1, 0, 19)]
    assert r3.members == [(1, 21, 35)]
    assert result.attribute_types == {("case", "Age"): "number", ("case", "Group"): "choice",
                                      ("case", "Joined"): "date"}


def test_comma_and_tab_delimiters_are_sniffed(tmp_path: Path) -> None:
    comma = tmp_path / "c.csv"
    comma.write_text('id,answer,score\n1,"Yes; mostly, I think",3\n2,No,4\n', encoding="utf-8")
    tab = tmp_path / "t.csv"
    tab.write_text("id\tanswer\n1\tfine, thanks; really\n2\tok\n", encoding="utf-8")
    assert parse(comma, survey("id", ("answer",))).sources[0].text == "Yes; mostly, I think\n\nNo"
    assert parse(tab, survey("id", ("answer",))).sources[0].text == "fine, thanks; really\n\nok"


def test_cp1252_csv(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes("Nr;Antwort\n1;Schöne Grüße, naïve Idee\n2;Ça va\n".encode("cp1252"))
    assert parse(path, survey("Nr", ("Antwort",))).sources[0].text == "Schöne Grüße, naïve Idee\n\nÇa va"


@pytest.mark.parametrize(("ref", "expected"), [
    ("Score", 1), ("  score ", 1), ("B", 1), ("c", 2), ("3", 2), ("A", 4), ("1", 0), ("AA", 26), ("27", 26),
])
def test_column_references(ref: str, expected: int) -> None:
    # a header called "A" wins over column letter A
    headers = ["Id", "Score", "Comment", "Region", "A", *[f"x{i}" for i in range(5, 27)]]
    assert resolve_column(ref, headers, "s.csv") == expected


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_missing_column_lists_headers(euro_csv: Path) -> None:
    with pytest.raises(UnsupportedFormatError) as err:
        parse(euro_csv, survey(text=("Feelings",)))
    message = err.value.message
    assert "wave1.csv has no column 'Feelings'" in message
    assert "A 'ID', B 'Age', C 'Group', D 'Joined', E 'What helps?', F 'Anything else?'" in message
    with pytest.raises(UnsupportedFormatError, match="no column 'Z'"):
        parse(euro_csv, survey(text=("Z",)))
    with pytest.raises(UnsupportedFormatError, match="no column '7'"):
        parse(euro_csv, survey(text=("7",)))


def test_columns_by_letter_and_number(euro_csv: Path) -> None:
    by_header = parse(euro_csv, survey(attributes=("Age",)))
    by_position = parse(euro_csv, survey("a", ("E", "6"), ("2",)))
    assert [s.text for s in by_position.sources] == [s.text for s in by_header.sources]
    assert [c.attributes for c in by_position.cases] == [c.attributes for c in by_header.cases]


def test_no_survey_options_asks_for_columns(euro_csv: Path) -> None:
    with pytest.raises(UnsupportedFormatError, match="--survey FILE --id-column C --text-column A"):
        parse(euro_csv, ImportOptions())
    with pytest.raises(UnsupportedFormatError, match="at least one column of answers"):
        parse(euro_csv, survey(text=()))


def test_duplicate_and_empty_ids_name_rows(tmp_path: Path) -> None:
    dup = tmp_path / "dup.csv"
    dup.write_text("id,a\nR1,x\nR2,y\nR1,z\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match=r"same respondent id.*'R1' in rows 2 and 4"):
        parse(dup, survey("id", ("a",)))
    empty = tmp_path / "empty_id.csv"
    empty.write_text("id,a\nR1,x\n ,y\nR3,z\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match=r"without a respondent id in column 'id' \(rows 3\)"):
        parse(empty, survey("id", ("a",)))


def test_empty_files_and_columns(tmp_path: Path) -> None:
    empty = tmp_path / "e.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(EmptySourceError, match="is empty"):
        parse(empty, survey("id", ("a",)))
    header_only = tmp_path / "h.csv"
    header_only.write_text("id,a\n", encoding="utf-8")
    with pytest.raises(EmptySourceError, match="no answers below"):
        parse(header_only, survey("id", ("a",)))
    blank_answers = tmp_path / "b.csv"
    blank_answers.write_text("id,a,b\n1,,x\n2, ,y\n", encoding="utf-8")
    with pytest.raises(EmptySourceError, match="no answers in the chosen columns"):
        parse(blank_answers, survey("id", ("a",)))
    # a column without answers is left out; the others still import
    result = parse(blank_answers, survey("id", ("a", "b")))
    assert [s.name for s in result.sources] == ["b"]
    assert result.cases[1].members == [(0, 3, 4)]


def test_ids_are_usable_case_names(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("id,a/b\n2024/1,x\n  R  2 ,y\n", encoding="utf-8")
    result = parse(path, survey("id", ("a/b",), ("a/b",)))
    assert [c.name for c in result.cases] == ["2024-1", "R 2"]
    assert result.cases[0].attributes == {"a-b": "x"}


@pytest.mark.parametrize(("values", "kind", "typed"), [
    (["1", "2", "2.5", "", None], "number", [1, 2, 2.5, None, None]),
    (["3,5", "-1", "4,0"], "number", [3.5, -1, 4]),
    ([3.0, 7, 2.25], "number", [3, 7, 2.25]),
    (["2024-01-05", "2023-12-31 10:30"], "date", ["2024-01-05", "2023-12-31"]),
    ([dt.datetime(2024, 5, 1, 0, 0), dt.date(2024, 5, 2), "2024-05-03"], "date",
     ["2024-05-01", "2024-05-02", "2024-05-03"]),
    (["yes", "no", "yes", ""], "choice", ["yes", "no", "yes", None]),
    ([True, False, True], "choice", ["yes", "no", "yes"]),
    (["a", "b", "c"], "text", ["a", "b", "c"]),  # no repeat
    ([f"v{i % 13}" for i in range(26)], "text", [f"v{i % 13}" for i in range(26)]),  # 13 distinct
    ([f"v{i % 12}" for i in range(24)], "choice", [f"v{i % 12}" for i in range(24)]),
    (["2024-02-30", "2024-01-01"], "text", ["2024-02-30", "2024-01-01"]),  # not a real date
    (["1", "two", "1"], "choice", ["1", "two", "1"]),
    (["1.000,5"], "text", ["1.000,5"]),
    (["01234", "0", "0,5"], "text", ["01234", "0", "0,5"]),  # a leading zero makes a code, not a number
    (["0", "0,5", "10"], "number", [0, 0.5, 10]),
    (["", None], "text", [None, None]),
    # local dates: the column tells day from month
    (["13/03/2024", "01/04/2024", ""], "date", ["2024-03-13", "2024-04-01", None]),
    (["03/13/2024 10:22:01 AM", "04/01/2024 9:05:00 PM"], "date", ["2024-03-13", "2024-04-01"]),
    (["1.4.2024", "2.4.2024 10:30"], "date", ["2024-04-01", "2024-04-02"]),
    (["12-03-2024", "25-12-2023"], "date", ["2024-03-12", "2023-12-25"]),
    (["01/04/2024", "02/04/2024"], "text", ["01/04/2024", "02/04/2024"]),  # April or January: cannot tell
    (["13/03/2024", "31/02/2024"], "text", ["13/03/2024", "31/02/2024"]),  # not a real date
    (["13/03/2024", "soon"], "text", ["13/03/2024", "soon"]),
])
def test_attribute_type_inference(values: list, kind: str, typed: list) -> None:
    assert infer_attribute(values) == (kind, typed)


def make_workbook(path: Path) -> None:
    workbook = openpyxl.Workbook()
    intro = workbook.active
    intro.title = "Intro"
    intro.append(["About this survey"])
    intro.append(["Invented answers for a test"])
    answers = workbook.create_sheet("Answers 2024")
    answers.append(["Respondent", "Score", "Started", "Comment", "Region", None])
    answers.append([101, 3.0, dt.datetime(2024, 5, 1, 9, 30), "Clear and short.", "North", "extra"])
    answers.append([102, 4.5, dt.datetime(2024, 5, 2), "Too long\nbut useful.", "South"])
    answers.append([None, None, None, None, None])
    answers.append([103.0, 2, dt.datetime(2024, 5, 3), None, "North"])
    workbook.save(path)
    workbook.close()


def test_xlsx_sheet_numbers_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "panel.xlsx"
    make_workbook(path)
    result = parse(path, survey("respondent", ("Comment",), ("Score", "C", "Region"), sheet=" answers 2024"))
    (source,) = result.sources
    assert (source.name, source.text) == ("Comment", "Clear and short.\n\nToo long\nbut useful.")
    assert covered(source, "turn") == [("Clear and short.", "101"), ("Too long\nbut useful.", "102")]
    assert [(c.name, c.attributes, c.members) for c in result.cases] == [
        ("101", {"Score": 3, "Started": "2024-05-01", "Region": "North"}, [(0, 0, 16)]),
        ("102", {"Score": 4.5, "Started": "2024-05-02", "Region": "South"}, [(0, 18, 38)]),
        ("103", {"Score": 2, "Started": "2024-05-03", "Region": "North"}, []),
    ]
    assert result.attribute_types == {("case", "Score"): "number", ("case", "Started"): "date",
                                      ("case", "Region"): "choice"}
    # the header-less sixth column is named by its letter
    assert resolve_column("F", ["a"] * 6, "x") == 5


def test_xlsx_default_sheet_and_missing_sheet(tmp_path: Path) -> None:
    path = tmp_path / "panel.xlsx"
    make_workbook(path)
    with pytest.raises(UnsupportedFormatError, match=r"no column 'Comment'\. Its columns are: A 'About this survey'"):
        parse(path, survey("A", ("Comment",)))
    with pytest.raises(UnsupportedFormatError, match=r"no sheet called 'Results'\. Its sheets are: 'Intro', 'Answers 2024'"):
        parse(path, survey("A", ("B",), sheet="Results"))


def test_damaged_xlsx_files(tmp_path: Path) -> None:
    not_excel = tmp_path / "other.xlsx"
    with zipfile.ZipFile(not_excel, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(UnreadableFileError, match="is really a zip archive, not an Excel workbook"):
        parse(not_excel, survey("A", ("B",)))
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook><unclosed>")
    with pytest.raises(UnreadableFileError, match="could not be read as an Excel workbook"):
        parse(broken, survey("A", ("B",)))
    good = tmp_path / "good.xlsx"
    make_workbook(good)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(UnreadableFileError, match="damaged"):
        parse(truncated, survey("A", ("B",)))


def test_xlsx_named_file_that_is_text(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("id,a\n1,x\n", encoding="utf-8")
    with pytest.raises(UnsupportedFormatError, match="named like an Excel"):
        find_importer(path)


class Cancelling:
    def __init__(self) -> None:
        self.steps: list[tuple[int, int]] = []

    def step(self, done: int, total: int, text: str) -> None:
        self.steps.append((done, total))

    def cancelled(self) -> bool:
        return len(self.steps) >= 2


def test_progress_and_cancel(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("id,a\n" + "".join(f"{i},answer {i}\n" for i in range(3000)), encoding="utf-8")
    progress = Cancelling()
    with pytest.raises(ImportError_, match="cancelled"):
        parse(path, survey("id", ("a",)), progress)
    assert progress.steps == [(0, 3000), (1000, 3000)]


def test_ten_thousand_respondents_parse_quickly(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    lines = ["id,age,group,q1,q2,q3"]
    for i in range(10_000):
        lines.append(f'P{i},{20 + i % 50},g{i % 4},"First answer of {i}, with a comma","Two\nlines {i}",Short {i}')
    path.write_text("\n".join(lines), encoding="utf-8")
    started = time.perf_counter()
    result = parse(path, survey("id", ("q1", "q2", "q3"), ("age", "group")))
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"took {elapsed:.2f} s"
    assert len(result.cases) == 10_000
    assert [len(s.spans) for s in result.sources] == [20_000] * 3
    assert result.cases[9999].members[2] == (2, len(result.sources[2].text) - len("Short 9999"),
                                             len(result.sources[2].text))
    assert result.attribute_types == {("case", "age"): "number", ("case", "group"): "choice"}


def test_survey_lands_in_a_project(project: Project, euro_csv: Path) -> None:
    outcome = project.import_file(euro_csv, options=survey(attributes=("Age", "Group", "Joined")))
    assert outcome.status == "imported", outcome.reason
    assert [s.name for s in project.sources()] == ["What helps?", "Anything else?"]
    r2 = project.find_case("R2")
    assert project.attribute_values("case", r2.id) == {"Age": 41.5, "Group": "b", "Joined": "2024-02-10"}
    assert [(m.start, m.end) for m in project.case_members(r2.id)] == [(36, 41), (0, 19)]
    assert project.check() == []


def test_a_quote_never_closed_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "runaway.csv"
    path.write_text('ID,Answer\nR1,"fine\nanswer"\nR2,"never closed\nR3,lost\nR4,lost too\n', encoding="utf-8")
    with pytest.raises(UnreadableFileError, match=r"runaway\.csv has a quote that opens an answer on line 4 and is "
                                                  r"never closed"):
        parse(path, survey("ID", ("Answer",)))
    sloppy = tmp_path / "sloppy.csv"  # stray quotes inside answers are no reason to refuse a file
    sloppy.write_text('ID,Answer\nR1,a 5" screen\nR2,"quoted" then more\n', encoding="utf-8")
    result = parse(sloppy, survey("ID", ("Answer",)))
    assert result.sources[0].text == 'a 5" screen\n\nquoted then more'
