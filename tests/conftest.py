"""Shared fixtures: every test gets its own data folder, so nothing touches the user's home."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from qcode.core.project import Project

settings.register_profile("ci", max_examples=40, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path_factory.mktemp("qcode-data")
    monkeypatch.setenv("QCODE_DATA_DIR", str(data))
    monkeypatch.setenv("QCODE_CODER", "Tester")
    return data


@pytest.fixture
def project(tmp_path: Path):
    """A new, empty project file under tmp_path, open for writing."""
    p = Project.create(tmp_path / "test.qcode")
    yield p
    p.close()
