"""The facilitator's console without a browser: the passphrase door, the room's pace, the figures it shows."""

from __future__ import annotations

import hashlib
import re
import threading
import time

from extramile import console as room_console
from extramile import content, facilitator
from extramile.room_state import RoomState
from tests.conftest import shows_as_text

SCENARIO = "notice-price-or-service"
SHARED = "welcome-someone-went-the-extra-mile"


def test_only_the_passphrase_opens_the_console_and_only_for_the_browser_given_a_new_session():
    door = facilitator.Console("amber-birch-cedar-delta-417", pause_after_wrong=0)
    assert door.sign_in("amber-birch-cedar-delta-416") is None
    session = door.sign_in("amber-birch-cedar-delta-417")
    assert session and len(session) >= 43 and door.admits(session)  # 256 bits the server made
    assert door.sign_in("amber-birch-cedar-delta-417") != session
    assert not door.admits("a-cookie-the-browser-chose") and not door.admits(None)
    door.sign_out(session)
    assert not door.admits(session)


def test_the_passphrase_is_kept_only_as_a_hash():
    door = facilitator.Console("amber-birch-cedar-delta-417")
    assert b"amber" not in repr(vars(door)).encode() and "amber" not in repr(vars(door))


def test_new_passphrases_are_four_words_and_a_number_with_at_least_forty_bits():
    made = {facilitator.new_passphrase() for _ in range(20)}
    assert len(made) == 20
    assert all(re.fullmatch(r"[a-z]+-[a-z]+-[a-z]+-[a-z]+-\d{3}", p) for p in made)
    assert len(set(facilitator.words())) == len(facilitator.words()) == 256
    assert facilitator.passphrase_bits() >= 40


def test_guesses_sent_at_once_from_many_browsers_wait_for_each_other(monkeypatch):
    door = facilitator.Console("amber-birch-cedar-delta-417", pause_after_wrong=0.2)
    checked = []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: checked.append(time.monotonic()) or real(*a, **k))
    together = threading.Barrier(10)

    def guess(number):
        together.wait()
        assert door.sign_in(f"a guess number {number}") is None

    guessers = [threading.Thread(target=guess, args=(n,)) for n in range(10)]
    for guesser in guessers:
        guesser.start()
    for guesser in guessers:
        guesser.join()
    gaps = [later - earlier for earlier, later in zip(checked, checked[1:], strict=False)]
    assert len(checked) == 10 and min(gaps) >= 0.2  # one pause for the whole room after every wrong guess


def test_the_pace_survives_a_restart_and_every_listener_hears_a_change(tmp_path):
    room = RoomState(tmp_path)
    heard = []

    class Tab:
        pass
    tab = Tab()
    room.listen(tab, lambda: heard.append(room.version))
    room.set_open("02_positive_mindset", False)
    room.say("  Five   minutes\\nleft  ")
    room.hide("card-1")
    assert heard == [1, 2, 3]
    again = RoomState(tmp_path)
    assert not again.is_open("02_positive_mindset") and again.is_open("01_notice_small_opportunities")
    assert again.pace.message == "Five minutes\\nleft" and again.pace.hidden == ["card-1"]
    del tab
    room.say("")
    assert heard == [1, 2, 3]  # a closed tab is not called


def test_a_damaged_room_file_starts_an_open_room(tmp_path):
    (tmp_path / ".room.json").write_text("{not json")
    assert RoomState(tmp_path).is_open("02_positive_mindset")


def answers(journal, count: int, *, team: str = "Blue", shared: bool = True, first: int = 0):
    _owner, scenario = content.exercise(SCENARIO)
    for number in range(first, first + count):
        name = f"{team} member {number}"
        journal.append(participant=name, team=team, kind="profile", answer={"team": team})
        journal.append(participant=name, team=team, kind="exercise", lesson="notice", exercise=SCENARIO,
                       answer={"option": scenario.options[number % 2].id})
        journal.append(participant=name, team=team, kind="exercise", exercise=SHARED, shared=shared,
                       answer={"text": f"story by {name}"})


def test_the_projector_waits_for_enough_answers_and_shows_shares_not_counts(journal):
    answers(journal, 2)
    journal.append(participant="Blue member 2", team="Blue", kind="profile", answer={"team": "Blue"})
    shown = room_console.projector_html(SCENARIO, room_console.RoomFigures(journal))
    assert "Waiting for more answers (2 so far)" in shown and "em-bar-row" not in shown
    answers(journal, 1, first=2)
    shown = room_console.projector_html(SCENARIO, room_console.RoomFigures(journal))
    assert "Waiting for more answers (3 so far)" in shown  # one team is not yet a room
    answers(journal, 3, team="Green")
    shown = room_console.projector_html(SCENARIO, room_console.RoomFigures(journal))
    assert "6 answers" in shown and shown.count("em-bar-row") == len(content.exercise(SCENARIO)[1].options)
    assert "70%" in shown and "30%" in shown and "<div class='em-bar-count'>4</div>" not in shown  # tens, never counts


def test_the_wall_shows_shared_text_without_names_and_without_hidden_cards(journal):
    answers(journal, 3)
    answers(journal, 3, team="Green", shared=False)
    figures = room_console.RoomFigures(journal)
    cards = room_console.wall_cards(SHARED, figures, hidden=[])
    assert len(cards) == 3 and all(text.startswith("story by Blue member") for _key, text in cards)
    hidden = cards[0][0]
    assert hidden not in [key for key, _text in room_console.wall_cards(SHARED, figures, hidden=[hidden])]
    page = room_console.projector_html(SHARED, figures)
    assert "member" not in page  # the projector's heading names nobody


def test_the_room_view_counts_who_signed_in_and_who_is_online(journal):
    answers(journal, 3)
    shown = room_console.progress_html(room_console.RoomFigures(journal), online=2)
    assert "<b>2</b> participants online now" in shown and "Blue" in shown and "3 of 3" in shown
    assert "story by" not in shown


HOSTILE = "<script>alert('team')</script><img src=x onerror=alert(1)> & Co"


def test_a_hostile_team_name_and_shared_answer_show_as_typed_text(journal):
    for who in ("Ann", "Bob", "Cy", "Dee", "Eli"):
        journal.append(participant=who, team=HOSTILE, kind="profile", answer={"team": HOSTILE})
        journal.append(participant=who, team=HOSTILE, kind="exercise", exercise=SHARED, shared=True,
                       answer={"text": f"{who} wrote {HOSTILE}"})
    figures = room_console.RoomFigures(journal)
    assert shows_as_text(room_console.progress_html(figures, online=5), HOSTILE)
    cards = room_console.wall_cards(SHARED, figures, hidden=[])
    assert cards, "five shared answers make a wall"
    view = room_console.ConsoleView.__new__(room_console.ConsoleView)
    view.room = RoomState(journal.directory)
    card = view._card(*cards[0])
    assert shows_as_text(card.children[0].value, HOSTILE)
