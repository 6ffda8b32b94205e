"""The HTML report: escaped, private by default, counts only for small teams, and self-contained."""

import re

import pytest

from extramile import cli
from extramile.store.journal import Journal
from extramile.summary.metrics import Window
from extramile.summary.report import write_report
from tests.conftest import Shown

BLUE = ("Ann", "Bob", "Cy")
RED = ("Dee", "Eli")


def story(journal, who, team, text, *, shared, week="2026-W48"):
    journal.append(participant=who, team=team, kind="weekly", exercise="weekly-story", shared=shared,
                   answer={"week": week, "happened": text, "did": "", "learned": ""})


def checkin(journal, who, team, best, week="2026-W48"):
    journal.append(participant=who, team=team, kind="checkin", exercise="weekly-checkin",
                   answer={"week": week, "best": best, "mindset": 6})


@pytest.fixture
def room(journal):
    for who in BLUE:
        journal.append(participant=who, team="Blue", kind="profile", answer={"team": "Blue"})
        checkin(journal, who, "Blue", 7)
    for who in RED:
        journal.append(participant=who, team="Red", kind="profile", answer={"team": "Red"})
        checkin(journal, who, "Red", 2)
    story(journal, "Ann", "Blue", "<script>alert(1)</script>", shared=True)
    story(journal, "Bob", "Blue", "My private worry about Tuesday", shared=False)
    story(journal, "Dee", "Red", "Red team's shared story", shared=True)
    return journal


def render(journal, tmp_path, **options) -> str:
    out = tmp_path / "report.html"
    write_report(journal, out, **options)
    return out.read_text(encoding="utf-8")


def test_a_shared_script_is_shown_as_text_and_never_runs(room, tmp_path):
    shown = Shown(render(room, tmp_path))
    assert "<script>alert(1)</script>" in shown.text
    assert "script" not in shown.tags


def test_private_text_never_appears(room, tmp_path):
    page = render(room, tmp_path)
    assert "private worry" not in page
    assert "Private answers count toward progress" in Shown(page).text


def test_report_says_the_check_ins_measure_the_day_not_the_workshops_impact(room, tmp_path):
    for who in BLUE:
        room.append(participant=who, team="Blue", kind="exercise", exercise="welcome-mindset-before",
                    answer={"value": 5, "measure": "mindset", "moment": "before"})
    shown = Shown(render(room, tmp_path))
    assert "measure how people felt on the day" in shown.text
    assert "do not measure the workshop's impact" in shown.text


def test_small_team_shows_counts_only(room, tmp_path):
    shown = Shown(render(room, tmp_path))
    assert "Red team's shared story" not in shown.text
    assert "1 shared answer; a team under 3 shows counts only." in shown.paragraphs
    best_table = shown.rows[shown.rows.index(["Team", "Check-ins", "First week shown", "Latest week shown"]):]
    assert ["Redunder 3: counts only", "2", "–", "–"] in best_table  # two check-ins, no mean
    assert "2.0" not in shown.text  # Red's average would be 2.0; it is shown nowhere


def test_team_names_are_escaped_too(journal, tmp_path):
    for who in BLUE:
        journal.append(participant=who, team="<b onmouseover=x>Bold</b>", kind="profile",
                       answer={"team": "<b onmouseover=x>Bold</b>"})
    shown = Shown(render(journal, tmp_path))
    assert "<b onmouseover=x>Bold</b>" in shown.text
    assert "b" not in shown.tags


def test_report_is_one_self_contained_file(room, tmp_path):
    page = render(room, tmp_path)
    assert page.startswith("<!DOCTYPE html>")
    images = re.findall(r"<img src='([^']*)'", page)
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    assert not re.search(r"""(src|href)=['"]?(https?:)?//""", page)
    assert "<link" not in page


def test_report_says_what_was_skipped(room, tmp_path):
    with room.path_for("Ann").open("ab") as handle:
        handle.write(b"not json at all\n")
    page = render(room, tmp_path)
    assert "1 line skipped in 1 file" in Shown(page).text


def test_report_filters_by_team(room, tmp_path):
    shown = Shown(render(room, tmp_path, window=Window(teams=("Blue",))))
    assert "teams: Blue" in shown.text
    assert not any(row[0].startswith("Red") for row in shown.rows)
    assert any(row[0] == "Blue" for row in shown.rows)


def test_command_line_writes_the_report(room, tmp_path, capsys):
    out = tmp_path / "out" / "report.html"
    assert cli.main(["report", "--journal", str(room.directory), "--out", str(out)]) == 0
    assert "5 participants" in capsys.readouterr().out
    assert "<script>alert(1)</script>" in Shown(out.read_text(encoding="utf-8")).text


def test_command_line_explains_a_missing_journal_folder(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert cli.main(["report", "--journal", str(missing), "--out", str(tmp_path / "r.html")]) == 2
    assert "no journal folder" in capsys.readouterr().err


def test_an_empty_journal_still_makes_a_report(tmp_path):
    directory = tmp_path / "empty"
    directory.mkdir()
    page = render(Journal(directory), tmp_path)
    assert "Nobody has signed in yet." in Shown(page).paragraphs


def test_control_characters_in_an_old_journal_never_reach_the_report(room, tmp_path):
    story(room, "Cy", "Blue", "Red alert\x1b[31m and a NUL\x00 here\tand\nthere", shared=True)
    page = render(room, tmp_path)
    assert "Red alert[31m and a NUL here" in Shown(page).text
    assert "\x1b" not in page and "\x00" not in page


def test_a_reflection_that_starts_like_a_label_is_shown_as_written(room, tmp_path):
    for who in BLUE:
        room.append(participant=who, team="Blue", kind="exercise", exercise="notice-my-45-seconds", shared=True,
                    answer={"text": f"Idea: {who} walks them to the shelf"})
    room.append(participant="Ann", team="Blue", kind="commitment", exercise="commit-my-commitments", shared=True,
                answer={"idea": "Write a thank-you note", "action": "Two cards on Friday"})
    shown = Shown(render(room, tmp_path))
    assert "Idea: Ann walks them to the shelf" in shown.paragraphs
    assert shown.bold.count("Idea:") == 1 and shown.bold.count("My action:") == 1  # the commitment's labels
    assert "Idea: Write a thank-you note" in shown.paragraphs
