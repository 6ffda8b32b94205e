"""What the console knows of the room, as plain data: progress per team and page, the wall's cards, the counts."""

from __future__ import annotations

import dataclasses
import json

from extramile import content
from extramile.content.weeks import STORY
from extramile.room import room_figures
from extramile.room.room_figures import LiveFigures, Progress, RoomFigures, journal_fingerprint, projectables
from extramile.store.journal import Journal

SCENARIO = "notice-price-or-service"
SHARED = "welcome-someone-went-the-extra-mile"


def member(journal: Journal, name: str, team: str, *, scenario: bool = True, story: str = "") -> None:
    journal.append(participant=name, team=team, kind="profile", answer={"team": team})
    _owner, item = content.exercise(SCENARIO)
    if scenario:
        option = item.options[0].id
        journal.append(participant=name, team=team, kind="exercise", lesson="notice", exercise=SCENARIO,
                       answer={"option": option, "first": option})
    if story:
        journal.append(participant=name, team=team, kind="exercise", exercise=SHARED, shared=True,
                       answer={"text": story})


CATALOG = content.Catalog.from_content()
NOTICE = CATALOG.exercises[SCENARIO].notebook


def test_progress_is_a_row_per_team_with_every_page_of_the_day_in_order(journal):
    for name in ("Ann", "Bob", "Cy"):
        member(journal, name, "Blue")
    member(journal, "Dee", "Green", scenario=False)
    progress = RoomFigures(journal).progress
    with_exercises = [label for notebook, label in CATALOG.notebooks.items() if CATALOG.exercises_in(notebook)]
    assert list(progress.pages) == with_exercises and len(with_exercises) >= 3
    blue, green = progress.teams
    assert (blue.team, blue.signed_in, blue.members) == ("Blue", 3, 3)
    assert (green.team, green.signed_in, green.members) == ("Green", 1, 1)
    notice = progress.pages.index(CATALOG.notebooks[NOTICE])
    per_person = len(CATALOG.exercises_in(NOTICE))
    assert blue.pages[notice].answered == 3 and blue.pages[notice].possible == 3 * per_person
    assert green.pages[notice].answered == 0 and green.pages[notice].possible == per_person
    assert [page.answered for i, page in enumerate(blue.pages) if i != notice] == [0] * (len(blue.pages) - 1)


def test_progress_is_plain_data_that_a_view_can_draw_without_pandas(journal):
    member(journal, "Ann", "Blue")
    progress = RoomFigures(journal).progress
    assert isinstance(progress, Progress)
    plain = json.loads(json.dumps(dataclasses.asdict(progress)))
    assert plain["teams"][0]["team"] == "Blue" and all(
        set(page) == {"answered", "possible"} for page in plain["teams"][0]["pages"])


def test_an_answer_saved_twice_counts_once_and_an_empty_room_has_no_teams(journal):
    assert RoomFigures(journal).progress.teams == ()
    member(journal, "Ann", "Blue")
    member(journal, "Ann", "Blue")
    [blue] = RoomFigures(journal).progress.teams
    assert blue.signed_in == 1 and sum(page.answered for page in blue.pages) == 1


def test_cards_are_the_shared_answers_of_teams_of_three_newest_first_without_names(journal):
    for name in ("Ann", "Bob", "Cy"):
        member(journal, name, "Blue", story=f"what {name.lower()} saw")
    for name in ("Dee", "Eve"):
        member(journal, name, "Duo", story=f"what {name.lower()} saw")
    figures = RoomFigures(journal)
    cards = figures.cards(SHARED, "")
    assert sorted(card.text for card in cards) == ["what ann saw", "what bob saw", "what cy saw"]
    saved_at = {e["id"]: e["at"] for name in ("Ann", "Bob", "Cy") for e in journal.entries(name)}
    assert [saved_at[card.key] for card in cards] == sorted(saved_at[card.key] for card in cards)[::-1]
    assert all("Ann" not in card.text and card.key for card in cards)
    assert figures.withheld(SHARED, "") == 2  # Duo's two: counted on the wall, never shown
    assert figures.cards(SHARED, "2999-01-01T00:00:00.000Z") == []  # a Reset counts from then on
    assert figures.answered(SCENARIO, "") == {"Blue": 3, "Duo": 2}


def test_tabs_looking_together_share_one_reading_and_a_save_is_read_at_the_next_look(journal, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(room_figures.time, "monotonic", lambda: clock[0])
    member(journal, "Ann", "Blue")
    live = LiveFigures(journal.directory)
    seen, first = live.now()
    clock[0] += 0.01
    assert live.now()[1] is first  # the other tab, a moment later: the same reading
    clock[0] += 1
    assert live.now()[1] is first  # the next second, nothing saved: nothing read again
    member(journal, "Bob", "Blue")
    clock[0] += 0.01
    assert live.now()[1] is first  # saved a moment after a look: it waits for the next look
    clock[0] += 1
    after, figures = live.now()
    assert figures is not first and after != seen and after == journal_fingerprint(journal.directory)
    assert [t.members for t in figures.progress.teams] == [2]


def test_a_missing_journal_folder_has_an_empty_fingerprint(tmp_path):
    assert journal_fingerprint(tmp_path / "nowhere") == ()


def test_the_projector_can_show_the_days_scenarios_scales_walls_and_the_weekly_story():
    items = projectables()
    assert SCENARIO in items and items[SCENARIO].kind == "scenario" and items[SCENARIO].exercise is not None
    assert list(items)[-1] == STORY and items[STORY].kind == "story"
    assert all(item.label.endswith(item.title) for item in items.values())
