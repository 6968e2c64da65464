"""A first look at a survey file: its columns, examples and suggested roles, and the options they give."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from qcode.core.errors import EmptySourceError
from qcode.core.importers.survey_columns import suggest_roles, survey_columns
from qcode.core.project import Project

ANSWER = "I talk to my brother mostly, and sometimes the lads at the club when it gets bad."  # fictional


def _rows(count: int) -> list[list[object]]:
    rows: list[list[object]] = [["Respondent ID", "Age group", "Q5 Who do you talk to?", "Score", "Submitted"]]
    for i in range(count):
        rows.append([f"R{i:03d}", ("18-29", "30-49", "50+")[i % 3], f"{ANSWER} ({i})", i % 7, "yes"])
    return rows


def test_csv_columns_and_suggested_roles(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_text("\n".join(",".join(f'"{v}"' for v in row) for row in _rows(30)), encoding="utf-8")
    seen = survey_columns(path)
    assert seen.sheets == ()
    assert [c.header for c in seen.columns] == ["Respondent ID", "Age group", "Q5 Who do you talk to?", "Score",
                                                "Submitted"]
    assert [c.role for c in seen.columns] == ["id", "attribute", "text", "attribute", "attribute"]
    assert seen.columns[0].examples == ("R000", "R001", "R002")
    options = seen.options({4: "ignore"})
    assert (options.id_column, options.text_columns, options.attribute_columns) == ("A", ("C",), ("B", "D"))


def test_xlsx_sheets_and_the_import_the_choice_gives(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "answers.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active.append(["nothing to see"])
    sheet = workbook.create_sheet("Wave 1")
    for row in _rows(12):
        sheet.append(row)
    workbook.save(path)
    first = survey_columns(path)
    assert first.sheets == ("Notes", "Wave 1")
    assert first.sheet == "Notes"
    seen = survey_columns(path, "Wave 1")
    assert seen.sheet == "Wave 1"
    options = seen.options({})
    from qcode.core.importers import ImportOptions

    outcomes = project.import_paths([path], options=ImportOptions(survey=options))
    assert [o.status for o in outcomes] == ["imported"]
    assert len(project.cases()) == 12
    assert project.attribute_values("case", project.cases()[0].id)["Age group"] == "18-29"


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(EmptySourceError):
        survey_columns(path)


def test_suggestions_prefer_a_column_named_like_an_id() -> None:
    roles = suggest_roles([("Row", ["1", "2", "3"]), ("Participant", ["P1", "P2", "P3"]),
                           ("Why?", ["x" * 50, "y" * 60, "z" * 45])])
    assert roles == ["attribute", "id", "text"]
