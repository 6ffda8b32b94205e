"""What the facilitator decides for the room: kept across a restart, heard by every open tab until it closes."""

from __future__ import annotations

from extramile.room.room_state import RoomState
from extramile.store.room_file import load_pace

SCENARIO = "notice-price-or-service"


def test_the_pace_survives_a_restart_and_every_listener_hears_a_change(tmp_path):
    room = RoomState(tmp_path)
    heard, other = [], []
    leave = room.subscribe(lambda: heard.append(room.version))
    room.subscribe(lambda: other.append(room.version))
    room.set_open("02_positive_mindset", False)
    room.say("  Five   minutes\\nleft  ")
    room.hide("card-1")
    assert heard == other == [1, 2, 3]
    again = RoomState(tmp_path)
    assert not again.is_open("02_positive_mindset") and again.is_open("01_notice_small_opportunities")
    assert again.pace.message == "Five minutes\\nleft" and again.pace.hidden == ["card-1"]
    leave()
    leave()  # a tab that closes twice is no trouble
    room.say("")
    assert heard == [1, 2, 3] and other == [1, 2, 3, 4]  # a closed tab is not called; the others still are


def test_a_broken_listener_does_not_stop_the_others_hearing(tmp_path):
    room = RoomState(tmp_path)
    heard = []
    room.subscribe(lambda: 1 / 0)
    room.subscribe(lambda: heard.append(room.pace.message))
    room.say("Back in five")
    assert heard == ["Back in five"]


def test_a_damaged_room_file_starts_an_open_room(tmp_path):
    (tmp_path / ".room.json").write_text("{not json")
    assert RoomState(tmp_path).is_open("02_positive_mindset")


def test_the_room_and_its_moderation_survive_a_restart(tmp_path):
    room = RoomState(tmp_path)
    room.approve(["entry-1"])
    room.open_second_vote(SCENARIO, "2026-11-24T09:00:00.000Z")
    room.reveal(SCENARIO)
    room.start_countdown(SCENARIO, 120)
    again = load_pace(tmp_path)
    assert again.approved == ["entry-1"] and again.shows_results(SCENARIO) and SCENARIO in again.second_vote
    assert 100 < again.countdown_left() <= 120


def test_a_change_made_by_another_process_reaches_this_ones_pages_once(tmp_path):
    console_side, page_side = RoomState(tmp_path), RoomState(tmp_path)  # two processes of serve --workers
    heard = []
    page_side.subscribe(lambda: heard.append(page_side.is_open("02_positive_mindset")))
    assert page_side.refresh() is False and heard == []
    console_side.set_open("02_positive_mindset", False)
    assert page_side.refresh() is True
    assert heard == [False] and not page_side.is_open("02_positive_mindset")
    assert page_side.refresh() is False and heard == [False]  # told once, not at every look


def test_changes_from_two_processes_both_hold(tmp_path):
    console, projector = RoomState(tmp_path), RoomState(tmp_path)
    console.approve(["card-1", "card-2"])
    projector.hide("card-2")  # made over the console's approval, though this process never looked
    console.say("Back in five")  # and this one over the hide
    again = RoomState(tmp_path)
    assert again.pace.approved == ["card-1", "card-2"] and again.pace.hidden == ["card-2"]
    assert again.pace.message == "Back in five"
