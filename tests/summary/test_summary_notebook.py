"""The facilitator's summary notebook and its widgets: runs under nbval, refreshes, filters."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extramile.content import EXERCISES_DIR
from extramile.summary.demo_data import generate
from extramile.summary.summary_view import summary_view
from tests.conftest import Shown, joined

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "group_summary.ipynb"


def test_summary_notebook_runs_under_nbval_on_demo_data(tmp_path):
    journal_dir = tmp_path / "journal"
    generate(journal_dir, participants=18, teams=4, weeks=5, seed=2)
    env = {**os.environ, "EXTRAMILE_JOURNAL_DIR": str(journal_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", str(NOTEBOOK), "-q", "-p", "no:cacheprovider",
         "--rootdir", str(ROOT), "--noconftest"],  # conftest.py would point the kernel at an empty journal
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=280)
    assert result.returncode == 0, result.stdout + result.stderr


def test_notebook_is_thin_hidden_and_stored_without_outputs():
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert len(code) == 1 and "show_summary()" in "".join(code[0]["source"])
    for cell in code:
        assert cell["outputs"] == [] and cell["execution_count"] is None
        assert "hide-input" in cell["metadata"]["tags"]
        assert cell["metadata"]["jupyter"]["source_hidden"] is True


def story(journal, who, team, text):
    journal.append(participant=who, team=team, kind="weekly", exercise="weekly-story", shared=True,
                   answer={"week": "2026-W48", "happened": text, "did": "", "learned": ""})


@pytest.fixture
def room(journal):
    for who in ("Ann", "Bob", "Cy"):
        joined(journal, who, "Blue")
        story(journal, who, "Blue", f"{who} walked it over <3")
    for who in ("Gus", "Hal", "Ivy"):
        joined(journal, who, "Green")
    return journal


def test_refresh_button_reads_new_entries_and_says_when(room):
    view = summary_view(room)
    assert view.teams.options == ("Blue", "Green")
    assert "Last updated" in view.status.value and "6 participants" in view.status.value
    joined(room, "Jo", "Amber")
    view.refresh_button.click()
    assert view.teams.options == ("Amber", "Blue", "Green")
    assert "7 participants" in view.status.value
    assert "Amber" in view.pages[0].value


def test_the_tabs_show_the_reports_sections_escaped(room):
    view = summary_view(room)
    workshop, weekly, wall = (page.value for page in view.pages)
    assert "Sign-ins and progress" in workshop and "Mindset before and after" in workshop
    assert "Weekly stories" in weekly and "Am I doing my best?" in weekly
    assert {"h3", "table", "img"} <= set(Shown(workshop).tags)  # drawn as HTML, not shown as its source
    assert "Ann walked it over <3" in Shown(wall).text and "<3" not in wall


def test_team_filter_narrows_every_tab(room):
    view = summary_view(room)
    view.teams.value = ("Green",)
    assert "<td>Blue" not in view.pages[0].value
    assert "walked it over" not in view.pages[2].value
    view.clear_button.click()
    assert view.teams.value == () and "<td>Blue" in view.pages[0].value


def test_auto_refresh_reads_again_in_the_background(room):
    view = summary_view(room, interval=0.05)
    view.auto.value = True
    try:
        joined(room, "Jo", "Amber")
        deadline = time.monotonic() + 20
        while "Amber" not in view.teams.options and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "Amber" in view.teams.options
    finally:
        view.auto.value = False
    view._timer.join(timeout=20)
    assert not view._timer.is_alive()


def test_a_broken_content_folder_is_reported_not_raised(room, tmp_path):
    broken = tmp_path / "exercises"
    shutil.copytree(EXERCISES_DIR, broken)
    welcome = broken / "00_welcome.yaml"
    welcome.write_text(welcome.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    view = summary_view(room, broken)
    shown = Shown(view.status.value).text
    assert "Could not read the journals" in shown
    assert "00_welcome.yaml" in shown and "'title'" in shown
