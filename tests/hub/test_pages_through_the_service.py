"""The pages, the team wall and the facilitator's report, unchanged, on the journal service behind a real hub."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from extramile import content
from extramile.content.weeks import STORY
from extramile.exceptions import JournalError
from extramile.identity.identity import Participant
from extramile.participant.answers import AnswerBook
from extramile.participant.cards import card_for
from extramile.store.remote_journal import NOT_SAVED, RemoteJournal
from extramile.summary.report import write_report
from extramile.weekly.team_wall import shared_stories
from tests.hub.hubtools import FACILITATOR, http

REFLECTION = "welcome-someone-went-the-extra-mile"


def journal_of(hub, name) -> RemoteJournal:
    return RemoteJournal(hub.journal_url, hub.token_for(name))


def reflection_card(journal, participant):
    owner, exercise = content.exercise(REFLECTION)
    return card_for(exercise, AnswerBook(journal, participant), owner.lesson)


def test_when_the_service_is_down_a_save_says_so_keeps_the_text_and_the_next_save_works(hub):
    kim = Participant("kim", "Teal")
    journal = journal_of(hub, "kim")
    card = reflection_card(journal, kim)
    card.text.value = "Walked a customer to the right shelf"
    card.save_button.click()
    assert "Saved" in card.status.value

    through_the_proxy = RemoteJournal(f"{hub.url}/services/journal/", hub.token_for("kim"))  # as on Kubernetes
    through_the_proxy.entries("kim")
    hub.journal.stop()
    try:
        card.text.value = "Phoned back a customer the same evening"
        card.save_button.click()
        assert NOT_SAVED in card.status.value
        assert card.text.value == "Phoned back a customer the same evening"
        with pytest.raises(JournalError, match="^" + re.escape(NOT_SAVED) + "$"):  # the hub's 503 page, not a traceback
            through_the_proxy.append(participant="kim", team="Teal", kind="exercise", exercise=REFLECTION,
                                     answer={"text": "via the proxy"})
    finally:
        hub.journal.start()

    card.save_button.click()
    assert "Saved" in card.status.value
    assert [e["answer"]["text"] for e in journal.entries("kim")] == ["Phoned back a customer the same evening"]


def test_a_page_opened_again_shows_the_saved_answer(hub):
    lea = Participant("lea", "Teal")
    first = reflection_card(journal_of(hub, "lea"), lea)
    first.text.value = "Held the door and the umbrella"
    first.save_button.click()

    again = reflection_card(journal_of(hub, "lea"), lea)
    again.restore()
    assert again.text.value == "Held the door and the umbrella"


def test_the_team_wall_shows_teammates_shared_stories_only(hub):
    week = "2026-W48"
    for name, team, text, shared in [("moe", "Rose", "moe shared", True), ("nia", "Rose", "nia private", False),
                                     ("ola", "Lime", "ola shared elsewhere", True)]:
        journal = journal_of(hub, name)
        journal.append(participant=name, team=team, kind="profile", answer={"team": team})
        journal.append(participant=name, team=team, kind="weekly", exercise=STORY, shared=shared,
                       answer={"week": week, "happened": text, "did": "", "learned": ""})
    pia = journal_of(hub, "pia")
    pia.append(participant="pia", team="Rose", kind="profile", answer={"team": "Rose"})

    stories = shared_stories(pia, "Rose", week, "pia")
    assert [s["answer"]["happened"] for s in stories] == ["moe shared"]


def test_blue_and_blue_are_one_team_on_the_team_wall(hub):
    """Sign-in, the summary and the room's wall merge spellings of a team; the service must too."""
    week = "2026-W49"
    uma = journal_of(hub, "uma")
    uma.append(participant="uma", team="Blue", kind="profile", answer={"team": "Blue"})
    uma.append(participant="uma", team="Blue", kind="weekly", exercise=STORY, shared=True,
               answer={"week": week, "happened": "uma shared with Blue", "did": "", "learned": ""})
    vic = journal_of(hub, "vic")
    vic.append(participant="vic", team="blue", kind="profile", answer={"team": "blue"})

    stories = shared_stories(vic, "blue", week, "vic")
    assert [s["answer"]["happened"] for s in stories] == ["uma shared with Blue"]


def test_the_facilitators_report_shows_shared_answers_and_counts_private_ones(hub, tmp_path):
    team = "Navy"
    for name, text, shared in [("quin", "quin shared words", True), ("rae", "rae private words", False),
                               ("sol", "sol private words", False)]:
        journal = journal_of(hub, name)
        journal.append(participant=name, team=team, kind="profile", answer={"team": team})
        journal.append(participant=name, team=team, kind="exercise", exercise=REFLECTION, shared=shared,
                       answer={"text": text})
        journal.append(participant=name, team=team, kind="exercise", exercise="welcome-mindset-before",
                       answer={"value": 4, "measure": "mindset", "moment": "before"})

    out = tmp_path / "report.html"
    loaded = write_report(journal_of(hub, FACILITATOR), out)
    page = out.read_text(encoding="utf-8")
    assert "quin shared words" in page
    assert "private words" not in page
    assert loaded.participants >= 3 and team in page

    by_command = tmp_path / "by-command.html"
    env = {**os.environ, "EXTRAMILE_JOURNAL_URL": hub.journal_url, "JUPYTERHUB_API_TOKEN": hub.token_for(FACILITATOR)}
    done = subprocess.run([sys.executable, "-m", "extramile", "report", "--out", str(by_command)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "quin shared words" in by_command.read_text(encoding="utf-8")
    assert "private words" not in by_command.read_text(encoding="utf-8")


def test_two_tabs_saving_over_the_same_answer_are_told_as_on_local_files(hub):
    from extramile.participant.cards.card import CHANGED_ELSEWHERE

    ria = Participant("ria", "Teal")
    first_tab = reflection_card(journal_of(hub, "ria"), ria)
    first_tab.text.value = "Version one"
    first_tab.save_button.click()
    second_tab = reflection_card(journal_of(hub, "ria"), ria)  # opened now: shows version one
    first_tab.text.value = "Version two, from the first tab"
    first_tab.save_button.click()
    second_tab.text.value = "Version two, from the second tab"
    second_tab.save_button.click()
    assert CHANGED_ELSEWHERE in second_tab.status.value
    assert second_tab.text.value == "Version two, from the second tab"
    second_tab.save_button.click()  # pressed again: keep this version
    assert "Saved" in second_tab.status.value
    assert [e["answer"]["text"] for e in journal_of(hub, "ria").entries("ria")] == ["Version two, from the second tab"]


def test_the_service_refuses_an_entry_that_replaces_a_version_already_replaced(hub):
    sam = journal_of(hub, "sam")
    first = sam.append(participant="sam", team="Teal", kind="exercise", exercise=REFLECTION, answer={"text": "1"})
    sam.append(participant="sam", team="Teal", kind="exercise", exercise=REFLECTION, answer={"text": "2"},
               replaces=first["id"])
    status, reply = http("POST", f"{hub.journal_url}api/entries", hub.token_for("sam"),
                         {"team": "Teal", "kind": "exercise", "exercise": REFLECTION, "answer": {"text": "3"},
                          "replaces": first["id"], "replaces_current": True})
    assert status == 409 and "changed in another tab" in reply["message"]
    assert [e["answer"]["text"] for e in sam.entries("sam")] == ["2"]
