"""A 500-character name or a 19,000-character word wraps or is cut short: no page grows sideways.

Laid out by a real browser (Debian's Chromium) at a narrow laptop's width:
the report file as written, and the participant pages' own HTML (welcome
line, team wall, a card's status) with their style sheets.
"""

from pathlib import Path

import pytest

from extramile.identity.identity import Participant
from extramile.participant.signin import welcome_line
from extramile.summary.report import write_report
from extramile.weekly.team_wall import wall_html

WIDTH = 800
LONG_NAME = "Zoë" + "x" * 497
LONG_WORD = "w" * 19_000
STYLES = (Path(__file__).resolve().parents[2] / "extramile" / "assets" / "custom.css").read_text(encoding="utf-8")


@pytest.fixture
def browser_page(contexts):
    return contexts(viewport={"width": WIDTH, "height": 900}).new_page()


def page_width(browser_page, document: str) -> int:
    browser_page.set_content(document)
    return browser_page.evaluate("document.documentElement.scrollWidth")


def test_the_report_does_not_widen_for_a_long_team_name_or_word(browser_page, journal, tmp_path):
    for who in ("Ann", "Bob", "Cy"):
        journal.append(participant=who, team=LONG_NAME, kind="profile",
                       answer={"team": LONG_NAME})
    journal.append(participant="Ann", team=LONG_NAME, kind="weekly", exercise="weekly-story",
                   shared=True, answer={"week": "2026-W48", "happened": LONG_WORD, "did": "", "learned": ""})
    out = tmp_path / "report.html"
    write_report(journal, out)
    document = out.read_text(encoding="utf-8")
    assert LONG_WORD in document and LONG_NAME in document
    assert page_width(browser_page, document) <= WIDTH


def test_participant_pages_do_not_widen_for_a_long_name_or_word(browser_page):
    story = {"participant": LONG_NAME, "answer": {"happened": LONG_WORD, "did": "", "learned": ""}}
    wall = wall_html([story], {"happened": "What happened", "did": "What I did", "learned": "What I learned"}, "")
    welcome = welcome_line(Participant(LONG_NAME, LONG_NAME), 3)
    document = (f"<html><head><style>{STYLES}</style></head><body>"
                f"<div class='em-signin'><p class='em-welcome'>{welcome}</p></div>"
                f"<div class='em-card'><h3>{LONG_WORD}</h3><div class='em-prompt'>{LONG_WORD}</div>"
                f"<span class='em-status em-warn'>{LONG_WORD}</span></div>"
                f"<div class='em-card'>{wall}</div></body></html>")
    assert page_width(browser_page, document) <= WIDTH
    writer = browser_page.locator(".em-writer")
    assert writer.get_attribute("title") == LONG_NAME  # cut short on screen, whole on hover
