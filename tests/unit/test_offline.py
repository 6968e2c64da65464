"""qcode never opens a network connection: the whole command-line flow runs with sockets forbidden in-process."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import ClassVar

import docx
import pytest

from qcode.cli import main


class _NoNetwork(socket.socket):
    attempts: ClassVar[list[tuple[object, ...]]] = []

    def __init__(self, *args: object, **kwargs: object) -> None:
        _NoNetwork.attempts.append(args)
        raise AssertionError("qcode tried to open a socket")


def test_the_whole_command_line_flow_opens_no_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[str] = []

    def refuse(name: str):
        def refused(*args: object, **kwargs: object) -> None:
            calls.append(name)
            raise AssertionError(f"qcode called socket.{name}")
        return refused

    _NoNetwork.attempts = []
    monkeypatch.setattr(socket, "socket", _NoNetwork)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        monkeypatch.setattr(socket, name, refuse(name))

    material = tmp_path / "material"
    material.mkdir()
    (material / "int1.txt").write_text("Interviewer: How do you cope?\n\nAl: Mates at the club help.\n\n"
                                       "Interviewer: And at home?\n\nAl: I keep it to myself.\n", encoding="utf-8")
    word = docx.Document()
    word.add_paragraph("Interviewer: Who do you talk to?")
    word.add_paragraph("Bo: The lads at the shed, mostly.")
    word.add_paragraph("Interviewer: Anyone else?")
    word.add_paragraph("Bo: Not really.")
    word.save(str(material / "int2.docx"))
    (material / "survey.csv").write_text("id,age,answer\n1,34,Talking helps\n2,51,I go for a walk\n", encoding="utf-8")

    project = str(tmp_path / "study.qcode")
    demo = str(tmp_path / "demo.qcode")
    steps = [
        ["new", project],
        ["import", project, str(material / "int1.txt"), str(material / "int2.docx")],
        ["import", project, "--survey", str(material / "survey.csv"), "--id-column", "id", "--text-column", "answer"],
        ["autocode", project, "--code", "Peer support/Mates", "--keywords", "mates", "lads", "--unit", "sentence"],
        ["stats", project, "--format", "csv"],
        ["search", project, "club"],
        ["cases", project],
        ["export", project, "--out", str(tmp_path / "report.docx")],
        ["export", project, "--out", str(tmp_path / "tables.xlsx")],
        ["export", project, "--out", str(tmp_path / "excerpts.csv")],
        ["archive", project, str(tmp_path / "study.zip")],
        ["check", str(tmp_path / "study.zip")],
        ["check", project],
        ["demo", demo],
        ["export", demo, "--out", str(tmp_path / "demo.xlsx")],
    ]
    for argv in steps:
        code = main(argv)
        assert code == 0, (argv, capsys.readouterr())
    assert _NoNetwork.attempts == []
    assert calls == []
