"""Importing a survey from the app: a dialog says which column is what; cases, attributes and answers come in
as one undo step, and undo takes back the cases and attributes it made as well."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from qcode.core.importers.survey_columns import survey_columns
from qcode.core.project import Project
from qcode.gui.dialogs.survey_dialog import SurveyDialog
from qcode.gui.main_window import MainWindow

ANSWER = "Mostly my brother, and the lads at the club when it gets bad"  # fictional


def _csv(folder: Path) -> Path:
    path = folder / "answers.csv"
    rows = ["ID,Age group,Who do you talk to?,Comment"]
    rows += [f"R{i},{('18-29', '30-49')[i % 2]},\"{ANSWER} ({i}).\",ok" for i in range(6)]
    path.write_text("\n".join(rows), encoding="utf-8")
    return path


def test_the_dialog_suggests_roles_and_checks_the_choice(qtbot, tmp_path: Path) -> None:
    path = _csv(tmp_path)
    dialog = SurveyDialog(path, survey_columns(path))
    qtbot.addWidget(dialog)
    assert dialog.roles() == {0: "id", 1: "attribute", 2: "text", 3: "attribute"}
    assert dialog.problem() == ""
    dialog.set_role(2, "ignore")
    assert dialog.problem() == "Choose at least one column of open answers to import."
    dialog.show()
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert dialog.result() == 0  # not accepted
    assert dialog.message.text() == dialog.problem()
    dialog.set_role(2, "text")
    dialog.set_role(3, "ignore")
    options = dialog.options()
    assert (options.id_column, options.text_columns, options.attribute_columns) == ("A", ("C",), ("B",))
    dialog.grab().save(str(tmp_path / "survey_dialog.png"))


def test_a_dropped_survey_imports_with_the_chosen_columns_and_undoes_whole(qtbot, project: Project,
                                                                        tmp_path: Path) -> None:
    path = _csv(tmp_path)
    note = tmp_path / "note.txt"
    note.write_text("Interviewer: hi\n\nAl: hello\n\nInterviewer: ok\n\nAl: bye", encoding="utf-8")
    window = MainWindow(project)
    qtbot.addWidget(window)
    flow = window.import_flow
    flow.show_report = False
    asked: list[Path] = []

    def choose(survey: Path, _parent: object):
        asked.append(survey)
        columns = survey_columns(survey)
        return columns.options({3: "ignore"})

    flow.choose_survey = choose
    with qtbot.waitSignal(flow.finished, timeout=30_000) as blocker:
        flow.start([str(path), str(note)])
    assert asked == [path]
    assert sorted(o.status for o in blocker.args[0]) == ["imported", "imported"]
    assert sorted(s.name for s in project.sources()) == ["Who do you talk to?", "note"]
    assert [c.name for c in project.cases()] == [f"R{i}" for i in range(6)]
    assert project.attribute_values("case", project.cases()[1].id) == {"Age group": "30-49"}
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert project.sources() == []
    assert project.cases() == []
    assert project.attributes() == []
    window.undo_stack.redo()
    assert [c.name for c in project.cases()] == [f"R{i}" for i in range(6)]
    assert len(project.case_members()) == 6
    assert project.attribute_values("case", project.cases()[1].id) == {"Age group": "30-49"}
    assert project.check() == []


def test_cancelling_the_survey_dialog_imports_nothing_of_it(qtbot, project: Project, tmp_path: Path) -> None:
    path = _csv(tmp_path)
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.import_flow.choose_survey = lambda _path, _parent: None
    window.import_flow.start([str(path)])
    assert window.import_flow.task is None
    assert project.sources() == []
