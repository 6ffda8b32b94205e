"""Shared fixtures: every test gets its own journal folder, never the real journal/."""

import pytest

from extramile.journal import Journal


@pytest.fixture(autouse=True)
def isolated_journal_dir(tmp_path, monkeypatch):
    directory = tmp_path / "journal"
    monkeypatch.setenv("EXTRAMILE_JOURNAL_DIR", str(directory))
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    return directory


@pytest.fixture
def journal(isolated_journal_dir):
    return Journal(isolated_journal_dir)

