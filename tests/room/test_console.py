"""The facilitator's console without a browser: what the projector and the room view show, and the wall's moderation.

The projector shows the number of answers at once and the results only after
Reveal; a wall only approved cards; a hidden card leaves every wall and the
report while its writer's journal keeps it; a Reset counts answers from then
on without deleting any.
"""

from __future__ import annotations

import ipywidgets as w

from extramile import content
from extramile.content.weeks import STORY
from extramile.room import projector
from extramile.room.console import progress_html
from extramile.room.console_view import ConsoleView
from extramile.room.room_figures import RoomFigures, projectables
from extramile.room.room_state import RoomState
from extramile.store.room_file import hidden_answers
from extramile.summary.report import write_report
from extramile.weekly.team_wall import shared_stories
from tests.conftest import Shown, shows_as_text

SCENARIO = "notice-price-or-service"
SHARED = "welcome-someone-went-the-extra-mile"


def answers(journal, count: int, *, team: str = "Blue", shared: bool = True, first: int = 0, text: str = ""):
    _owner, scenario = content.exercise(SCENARIO)
    for number in range(first, first + count):
        name = f"{team} member {number}"
        journal.append(participant=name, team=team, kind="profile", answer={"team": team})
        option = scenario.options[number % 2].id
        journal.append(participant=name, team=team, kind="exercise", lesson="notice", exercise=SCENARIO,
                       answer={"option": option, "first": option})
        journal.append(participant=name, team=team, kind="exercise", exercise=SHARED, shared=shared,
                       answer={"text": text or f"story by {name}"})


def shown(journal, exercise_id: str, room: RoomState | None = None, **options) -> Shown:
    room = room or RoomState(journal.directory)
    item = projectables().get(exercise_id)
    html = projector.projector_html(item, RoomFigures(journal), room.pace,
                                    **{"online": 0, "address": "http://10.0.0.5:8866/", **options})
    return Shown(html)


def test_the_projector_counts_answers_at_once_and_shows_shares_only_after_reveal(journal):
    answers(journal, 3)
    answers(journal, 3, team="Green")
    room = RoomState(journal.directory)
    before = shown(journal, SCENARIO, room)
    assert "6 answers" in before.text and projector.NOT_REVEALED in before.text and "%" not in before.text
    room.reveal(SCENARIO)
    after = shown(journal, SCENARIO, room)
    assert "6 answers" in after.text and projector.NOT_REVEALED not in after.text
    shares = [int(word[:-1]) for word in after.text.split() if word.endswith("%")]
    assert sum(shares) == 100 and all(share % 10 == 0 for share in shares)
    room.set_results_live(True)
    room.reveal(SCENARIO, False)
    assert "%" in shown(journal, SCENARIO, room).text  # the setting: results as they come in


def test_a_figure_that_waits_says_why_in_the_rooms_words(journal):
    answers(journal, 4)
    answers(journal, 2, team="Green")
    room = RoomState(journal.directory)
    room.set_results_live(True)
    assert ("A figure shows once 3 people in a team have answered, and 5 across such teams: Blue 4, Green 2 "
            "so far.") in shown(journal, SCENARIO, room).text


def test_a_reset_counts_answers_from_then_on_and_deletes_none(journal):
    answers(journal, 3)
    answers(journal, 3, team="Green")
    room = RoomState(journal.directory)
    room.reveal(SCENARIO)
    room.reset(SCENARIO, "2999-01-01T00:00:00.000Z")
    after = shown(journal, SCENARIO, room)
    assert "0 answers" in after.text and projector.NOT_REVEALED in after.text  # Reset hides the results again
    assert len(journal.entries("Blue member 0")) == 3  # every journal keeps what was written


def test_a_second_vote_shows_first_and_second_shares_side_by_side_and_who_moved(journal):
    _owner, scenario = content.exercise(SCENARIO)
    a, b = scenario.options[0].id, scenario.options[1].id
    for team in ("Blue", "Green"):
        for number in range(3):
            second = b if number < 2 else a  # two of three move from a to b
            journal.append(participant=f"{team} {number}", team=team, kind="exercise", exercise=SCENARIO,
                           answer={"option": second, "first": a, "second": second})
    room = RoomState(journal.directory)
    room.open_second_vote(SCENARIO, "2000-01-01T00:00:00.000Z")
    waiting = shown(journal, SCENARIO, room)
    assert "6 answers · second vote: 6 votes" in waiting.text and "%" not in waiting.text
    room.reveal(SCENARIO)
    page = shown(journal, SCENARIO, room)
    assert "First vote" in page.text and "Second vote" in page.text
    assert "70% changed their choice in the second vote." in page.text  # 4 of 6, in tens
    assert "Blue 0" not in page.text  # shares only, never names


def test_the_wall_shows_only_approved_cards_and_never_a_hidden_one(journal):
    answers(journal, 3)
    room = RoomState(journal.directory)
    room.reveal(SHARED)
    assert "story by" not in shown(journal, SHARED, room).text  # nothing approved yet
    cards = RoomFigures(journal).cards(SHARED, "")
    assert len(cards) == 3
    room.approve([cards[0].key])
    page = shown(journal, SHARED, room)
    assert cards[0].text in page.text and cards[1].text not in page.text and "member" not in page.text.split(
        cards[0].text)[0]
    room.hide(cards[0].key)
    room.set_auto_approve(True)
    page = shown(journal, SHARED, room)
    assert cards[0].text not in page.text and cards[1].text in page.text and cards[2].text in page.text


def test_a_hidden_card_leaves_the_report_and_the_team_wall_and_stays_in_its_writers_journal(journal, tmp_path):
    for who in ("Ann", "Bob", "Cy"):
        journal.append(participant=who, team="Blue", kind="profile", answer={"team": "Blue"})
        journal.append(participant=who, team="Blue", kind="weekly", exercise=STORY, shared=True,
                       answer={"week": "2026-W48", "happened": f"{who}'s customer", "did": "helped",
                               "learned": f"what {who} learned"})
    [ann] = [e for e in journal.entries("Ann") if e["exercise"] == STORY]
    write_report(journal, tmp_path / "before.html")
    assert "Ann&#39;s customer" in (tmp_path / "before.html").read_text() or "Ann's customer" in Shown(
        (tmp_path / "before.html").read_text()).text
    assert [e["id"] for e in shared_stories(journal, "Blue", "2026-W48", "Bob")].count(ann["id"]) == 1
    RoomState(journal.directory).hide(ann["id"])
    assert hidden_answers(journal.directory) == {ann["id"]}
    write_report(journal, tmp_path / "after.html")
    report = Shown((tmp_path / "after.html").read_text()).text
    assert "Ann's customer" not in report and "Bob's customer" in report
    assert ann["id"] not in [e["id"] for e in shared_stories(journal, "Blue", "2026-W48", "Bob")]
    assert [e["answer"]["happened"] for e in journal.entries("Ann") if e["exercise"] == STORY] == ["Ann's customer"]


def test_the_weekly_stories_can_be_projected_and_a_small_teams_are_counted_not_shown(journal):
    for who, team in (("Ann", "Blue"), ("Bob", "Blue"), ("Cy", "Blue"), ("Dee", "Duo"), ("Eve", "Duo")):
        journal.append(participant=who, team=team, kind="profile", answer={"team": team})
        journal.append(participant=who, team=team, kind="weekly", exercise=STORY, shared=True,
                       answer={"week": "2026-W48", "happened": f"{who}'s story", "did": "helped", "learned": "much"})
    room = RoomState(journal.directory)
    room.set_auto_approve(True)
    room.reveal(STORY)
    page = shown(journal, STORY, room)
    assert "Ann's story" in page.text and "Dee's story" not in page.text and "Eve" not in page.text
    assert "3 answers shared with the team · 2 more from teams under 3 people: counted, not shown" in page.text


def test_long_cards_are_shortened_on_the_projector_and_whole_on_the_console(journal):
    long = "word " * 200
    answers(journal, 3, text=long)
    room = RoomState(journal.directory)
    room.set_auto_approve(True)
    room.reveal(SHARED)
    room.project(SHARED)
    page = shown(journal, SHARED, room)
    assert "…" in page.text and long.strip() not in page.text
    view = ConsoleView(journal, room, lambda: 0, projector=False)
    view.show(RoomFigures(journal))
    assert long.strip() in Shown(on_screen(view.widget)).text  # the whole text, one click away


def test_a_card_is_shortened_by_the_room_it_takes_wide_characters_twice():
    assert projector.shortened("short one") == "short one"
    assert projector.shortened("Idea: call\n\nMy action:   today") == "Idea: call · My action: today"
    for text in ("word " * 300, "顧客" * 500, "🦄" * 1000, "x" * 1000):
        cut = projector.shortened(text)
        assert cut.endswith(" …") and sum(2 if ord(c) > 0x2E80 else 1 for c in cut) <= projector.CARD_CHARACTERS + 2


def test_a_wall_of_forty_turns_its_pages(journal):
    for team in ("Blue", "Green", "Red", "Gold"):
        answers(journal, 10, team=team)
    room = RoomState(journal.directory)
    room.set_auto_approve(True)
    room.reveal(SHARED)
    pages = [shown(journal, SHARED, room, page=page) for page in range(8)]
    assert "Page 1 of 7" in pages[0].text and "Page 7 of 7" in pages[6].text and "Page 1 of 7" in pages[7].text
    assert pages[0].text.count("story by") == projector.CARDS_PER_PAGE


def test_the_join_screen_shows_the_address_a_qr_code_and_who_signed_in(journal):
    page = projector.projector_html(None, RoomFigures(journal), RoomState(journal.directory).pace, online=12,
                                    address="http://10.0.0.5:8866/")
    assert "http://10.0.0.5:8866/" in Shown(page).text and "12 people signed in" in Shown(page).text
    assert "<svg" in page and "<path" in page


def test_the_room_view_counts_who_signed_in_and_who_is_online(journal):
    answers(journal, 3)
    page = progress_html(RoomFigures(journal).progress, online=2)
    assert "<b>2</b> participants online now" in page and "Blue" in page and "3 of 3" in page
    assert "story by" not in page


HOSTILE = "<script>alert('team')</script><img src=x onerror=alert(1)> & Co"


def test_a_hostile_team_name_and_shared_answer_show_as_typed_text(journal):
    for who in ("Ann", "Bob", "Cy", "Dee", "Eli"):
        journal.append(participant=who, team=HOSTILE, kind="profile", answer={"team": HOSTILE})
        journal.append(participant=who, team=HOSTILE, kind="exercise", exercise=SHARED, shared=True,
                       answer={"text": f"{who} wrote {HOSTILE}"})
    figures = RoomFigures(journal)
    assert shows_as_text(progress_html(figures.progress, online=5), HOSTILE)
    room = RoomState(journal.directory)
    room.set_auto_approve(True)
    room.reveal(SHARED)
    room.project(SHARED)
    html = projector.projector_html(projectables()[SHARED], figures, room.pace, online=0, address="x")
    assert shows_as_text(html, f"Ann wrote {HOSTILE}")
    view = ConsoleView(journal, room, lambda: 0, projector=False)
    view.show(figures)
    console = on_screen(view.widget)
    assert shows_as_text(console, f"Ann wrote {HOSTILE}") and shows_as_text(console, f"Eli wrote {HOSTILE}")


def on_screen(widget) -> str:
    """Everything a console tab shows as HTML, in order: its boards, headings and the wall's cards."""
    own = [widget.value] if isinstance(widget, w.HTML) else []
    return "\n".join(own + [on_screen(child) for child in getattr(widget, "children", ())])
