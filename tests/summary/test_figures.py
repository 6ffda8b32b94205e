"""The facilitator's numbers (journal_frame.py reads, metrics.py computes), from small hand-made journals."""

import json
import math
import subprocess
import sys
from datetime import date, timedelta

import pytest

from extramile.content import Catalog, ExerciseInfo, HabitInfo
from extramile.summary import choices, metrics, weekly_metrics
from extramile.summary.journal_frame import load_frame
from extramile.summary.metrics import Window
from tests.conftest import joined

CATALOG = Catalog(
    exercises={e.id: e for e in (
        ExerciseInfo(id="welcome-before", kind="scale", notebook="00_welcome", title="Mindset before",
                     measure="mindset", moment="before"),
        ExerciseInfo(id="notice-45", kind="reflection", notebook="01_notice", title="My 45 seconds",
                     lesson="notice"),
        ExerciseInfo(id="notice-shelf", kind="scenario", notebook="01_notice", title="Not on the shelf",
                     lesson="notice", options=("Give the address", "Walk halfway", "Order it in"),
                     option_ids=("address", "walk-halfway", "order-in")),
        ExerciseInfo(id="mindset-machine", kind="reframe", notebook="02_mindset", title="The machine",
                     lesson="mindset"),
        ExerciseInfo(id="commit-after", kind="scale", notebook="04_commitments", title="Mindset after",
                     measure="mindset", moment="after"),
        ExerciseInfo(id="commit-mine", kind="commitment", notebook="04_commitments", title="My commitments",
                     ideas=("Call a customer",)),
    )},
    notebooks={"00_welcome": "Welcome", "01_notice": "Notice", "02_mindset": "Mindset",
               "04_commitments": "Commitments"},
    habits=(HabitInfo("call", "Call customers", "count"), HabitInfo("thanks", "Thank-you note", "tick")),
)
BLUE = ("Ann", "Bob", "Cy")
RED = ("Dee", "Eli")  # too small: counts only


def answer(journal, who, team, exercise, value, *, kind="exercise", shared=False, replaces=None):
    return journal.append(participant=who, team=team, kind=kind, exercise=exercise, answer=value,
                          shared=shared, replaces=replaces)


def scale(value, moment):
    return {"value": value, "measure": "mindset", "moment": moment}


def load(journal):
    return load_frame(journal, catalog=CATALOG)


def row(frame, **match):
    rows = frame
    for column, value in match.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.fixture
def room(journal):
    """Blue (3 people) and Red (2) at the workshop, with one private and one shared answer each."""
    for who in BLUE:
        joined(journal, who, "Blue")
    for who in RED:
        joined(journal, who, "Red")
    for who, before, after in zip(BLUE, (4, 5, 6), (6, 7, 8)):
        answer(journal, who, "Blue", "welcome-before", scale(before, "before"))
        answer(journal, who, "Blue", "commit-after", scale(after, "after"))
    for who, before, after in zip(RED, (1, 2), (10, 10)):
        answer(journal, who, "Red", "welcome-before", scale(before, "before"))
        answer(journal, who, "Red", "commit-after", scale(after, "after"))
    answer(journal, "Ann", "Blue", "notice-45", {"text": "PRIVATE: I dread Mondays"})
    answer(journal, "Bob", "Blue", "notice-45", {"text": "Walk them to the shelf"}, shared=True)
    answer(journal, "Dee", "Red", "notice-45", {"text": "RED SHARED: small team words"}, shared=True)
    return journal


def test_completion_counts_private_answers_too(room):
    frame, _ = load(room)
    completion = metrics.completion_by_team_lesson(frame, CATALOG)
    notice = row(completion, team="Blue", notebook="01_notice")
    # Ann's private and Bob's shared reflection, out of 3 members x 2 exercises
    assert (notice["answered"], notice["possible"]) == (2, 6)
    assert notice["share"] == pytest.approx(2 / 6)
    welcome = row(completion, team="Blue", notebook="00_welcome")
    assert (welcome["answered"], welcome["possible"], welcome["share"]) == (3, 3, 1.0)
    assert row(completion, team="Red", notebook="01_notice")["answered"] == 1
    assert set(completion["label"]) == {"Welcome", "Notice", "Mindset", "Commitments"}


def test_members_and_sign_ins_per_team(journal):
    for who in BLUE:
        answer(journal, who, "Blue", "notice-45", {"text": "x"})
    joined(journal, "Ann", "Blue")
    joined(journal, "Bob", "Blue")
    frame, _ = load(journal)
    members = metrics.members_signed_in(frame)
    assert row(members, team="Blue")[["members", "signed_in"]].tolist() == [3, 2]


def test_mindset_before_and_after_means_per_team_and_room(room):
    frame, _ = load(room)
    mindset = metrics.mindset_before_after(frame)
    blue = row(mindset, team="Blue", measure="mindset")
    assert (blue["before_mean"], blue["after_mean"], blue["change"]) == (5.0, 7.0, 2.0)
    assert (blue["before_n"], blue["after_n"]) == (3, 3)
    room_row = row(mindset, scope="room", measure="mindset")
    assert room_row["before_n"] == 5  # everyone is counted...
    assert math.isnan(room_row["before_mean"])  # ...but Blue's 3 alone are too few for a room mean


def test_room_mean_pools_only_teams_whose_own_mean_is_shown(room):
    for who, before in zip(("Gus", "Hal", "Ivy"), (8, 8, 9)):
        joined(room, who, "Green")
        answer(room, who, "Green", "welcome-before", scale(before, "before"))
    frame, _ = load(room)
    room_row = row(metrics.mindset_before_after(frame), scope="room", measure="mindset")
    assert room_row["before_n"] == 8
    assert room_row["before_mean"] == 7.0  # Blue's 4, 5, 6 and Green's 8, 8, 9: Red's 1 and 2 left out


def test_small_team_shows_counts_only(room):
    frame, _ = load(room)
    red = row(metrics.mindset_before_after(frame), team="Red", measure="mindset")
    assert red["counts_only"] and (red["before_n"], red["after_n"]) == (2, 2)
    assert math.isnan(red["before_mean"]) and math.isnan(red["after_mean"])
    assert row(metrics.members_signed_in(frame), team="Red")["members"] == 2


def test_an_edit_replaces_the_answer_it_corrects(journal):
    first = None
    for who, value in zip(BLUE, (4, 5, 6)):
        entry = answer(journal, who, "Blue", "welcome-before", scale(value, "before"))
        first = first or entry
    answer(journal, "Ann", "Blue", "welcome-before", scale(7, "before"), replaces=first["id"])
    frame, _ = load(journal)
    assert row(metrics.mindset_before_after(frame), team="Blue", measure="mindset")["before_mean"] == 6.0


def test_a_mean_needs_three_answers_even_in_a_big_team(journal):
    for who in BLUE:
        joined(journal, who, "Blue")
    answer(journal, "Ann", "Blue", "welcome-before", scale(9, "before"))
    frame, _ = load(journal)
    blue = row(metrics.mindset_before_after(frame), team="Blue", measure="mindset")
    assert blue["before_n"] == 1 and math.isnan(blue["before_mean"])


def test_scenario_spread_shares_each_response(journal):
    for who, choice in zip(BLUE + ("Fay", "Gil", "Hob"),
                           ("address", "address", "walk-halfway", "address", "order-in", "address")):
        answer(journal, who, "Blue", "notice-shelf", {"option": choice})
    frame, _ = load(journal)
    spread = choices.scenario_spread(frame, CATALOG)
    # 4, 1 and 1 of 6 in steps of 10% that add up to 100% (largest remainder; a tie goes to the first)
    assert spread["share"].tolist() == [0.7, 0.2, 0.1]
    assert "count" not in spread.columns
    assert set(spread["respondents"]) == {6}


def test_scenario_answers_from_before_option_ids_still_count(journal):
    answer(journal, "Ann", "Blue", "notice-shelf", {"choice": 1, "option": "Walk halfway"})
    answer(journal, "Bob", "Blue", "notice-shelf", {"choice": 1, "option": "A wording since rewritten"})
    answer(journal, "Cy", "Blue", "notice-shelf", {"option": "walk-halfway"})
    answer(journal, "Fay", "Blue", "notice-shelf", {"option": "address"})
    answer(journal, "Gil", "Blue", "notice-shelf", {"option": "address"})
    frame, _ = load(journal)
    assert choices.scenario_spread(frame, CATALOG)["share"].tolist() == [0.4, 0.6, 0.0]  # 2, 3 and 0 of 5


def test_scenario_choice_follows_the_option_text_when_content_is_reordered(journal):
    for who in BLUE + ("Fay", "Gil"):
        answer(journal, who, "Blue", "notice-shelf", {"choice": 2, "option": "Give the address"})
    frame, _ = load(journal)
    assert choices.scenario_spread(frame, CATALOG)["share"].tolist() == [1.0, 0.0, 0.0]


def test_scenario_with_fewer_than_three_answers_shows_its_count_only(journal):
    for who in BLUE:
        joined(journal, who, "Blue")
    answer(journal, "Ann", "Blue", "notice-shelf", {"choice": 1, "option": "Walk halfway"})
    frame, _ = load(journal)
    spread = choices.scenario_spread(frame, CATALOG)
    assert spread["counts_only"].all() and spread["share"].isna().all()
    assert set(spread["respondents"]) == {1}


def test_shared_wall_shows_shared_text_of_big_teams_only(room):
    frame, _ = load(room)
    wall = metrics.shared_wall(frame, CATALOG)
    blue = wall[wall["team"] == "Blue"]
    assert blue["text"].tolist() == ["Walk them to the shelf"]
    assert blue["parts"].tolist() == [(("", "Walk them to the shelf"),)]
    assert blue["title"].tolist() == ["My 45 seconds"]
    red = row(wall, team="Red")
    assert red["counts_only"] and red["total"] == 1 and red["text"] is None


def test_private_words_never_leave_the_summary(room):
    frame, _ = load(room)
    assert not frame.astype(str).apply(lambda column: column.str.contains("PRIVATE")).any().any()
    views = [
        metrics.members_signed_in(frame), metrics.completion_by_team_lesson(frame, CATALOG),
        metrics.mindset_before_after(frame), choices.scenario_spread(frame, CATALOG),
        metrics.shared_wall(frame, CATALOG), weekly_metrics.stories_per_week(frame),
        weekly_metrics.habit_heatmap_table(frame, CATALOG), weekly_metrics.commitments_kept(frame),
        weekly_metrics.best_over_time(frame),
    ]
    for view in views:
        text = view.to_csv()
        assert "PRIVATE" not in text and "RED SHARED" not in text


def test_shared_answer_stays_with_the_team_it_was_shared_with(journal):
    for who in BLUE:
        joined(journal, who, "Blue")
    for who in ("Gus", "Hal", "Ivy"):
        joined(journal, who, "Green")
    answer(journal, "Ann", "Blue", "notice-45", {"text": "Shared while in Blue"}, shared=True)
    joined(journal, "Ann", "Green")
    joined(journal, "Jo", "Blue")
    frame, _ = load(journal)
    assert row(metrics.members_signed_in(frame), team="Green")["members"] == 4  # Ann moved
    wall = metrics.shared_wall(frame, CATALOG)
    assert row(wall, team="Blue")["text"] == "Shared while in Blue"


def week_entry(journal, who, team, kind, exercise, week, **fields):
    return journal.append(participant=who, team=team, kind=kind, exercise=exercise,
                          answer={"week": week, **fields})


def test_stories_per_week_include_missed_weeks(journal):
    for who in BLUE:
        week_entry(journal, who, "Blue", "weekly", "weekly-story", "2026-W48", happened="x")
    week_entry(journal, "Ann", "Blue", "weekly", "weekly-story", "2026-W50", happened="y")
    frame, _ = load(journal)
    stories = weekly_metrics.stories_per_week(frame)
    assert stories["week_label"].tolist() == ["2026-W48", "2026-W49", "2026-W50"]
    assert stories["stories"].tolist() == [3, 0, 1]
    assert stories["share"].tolist() == [1.0, 0.0, pytest.approx(1 / 3)]
    totals = weekly_metrics.stories_by_team(stories)
    assert row(totals, team="Blue")[["stories", "weeks", "weeks_with_story"]].tolist() == [4, 3, 2]


def test_habit_heat_map_is_the_share_of_check_ins_practising_each_habit(journal):
    for who, calls, thanked in zip(BLUE, (0, 2, 3), (True, False, True)):
        week_entry(journal, who, "Blue", "habit", "weekly-habits", "2026-W48",
                   values={"call": calls, "thanks": thanked, "retired-habit": 5})
    for who in RED:
        week_entry(journal, who, "Red", "habit", "weekly-habits", "2026-W48",
                   values={"call": 4, "thanks": True})
    frame, _ = load(journal)
    habits = weekly_metrics.habit_heatmap_table(frame, CATALOG)
    assert row(habits, team="Blue", habit="call")["share"] == pytest.approx(0.7)  # 2 of 3, nearest 10%
    assert row(habits, team="Blue", habit="thanks")["share"] == pytest.approx(0.7)
    red = row(habits, team="Red", habit="call")
    assert red["counts_only"] and math.isnan(red["share"]) and red["checkins"] == 2


def test_commitments_kept_uses_each_commitments_latest_review(journal):
    made = {who: answer(journal, who, "Blue", "commit-mine", {"idea": "Call a customer", "action": "Call Jo"},
                        kind="commitment") for who in BLUE}
    week_entry(journal, "Ann", "Blue", "commitment", "weekly-commitment-review", "2026-W48",
               commitment=made["Ann"]["id"], status="not-yet")
    week_entry(journal, "Ann", "Blue", "commitment", "weekly-commitment-review", "2026-W49",
               commitment=made["Ann"]["id"], status="kept")
    week_entry(journal, "Bob", "Blue", "commitment", "weekly-commitment-review", "2026-W48",
               commitment=made["Bob"]["id"], status="partly")
    week_entry(journal, "Cy", "Blue", "commitment", "weekly-commitment-review", "2026-W48",
               commitment=made["Cy"]["id"], status="kept")
    week_entry(journal, "Cy", "Blue", "commitment", "weekly-commitment", "2026-W48", idea="Call",
               action="Again")
    frame, _ = load(journal)
    blue = row(weekly_metrics.commitments_kept(frame), team="Blue")
    assert blue[["made", "reviewed"]].tolist() == [4, 3]
    assert blue[["share_kept", "share_partly", "share_not_yet"]].tolist() == pytest.approx([0.7, 0.3, 0.0])


def test_best_over_time_averages_each_week(journal):
    for who, best in zip(BLUE, (6, 7, 8)):
        week_entry(journal, who, "Blue", "checkin", "weekly-checkin", "2026-W48", best=best, mindset=5)
    for who, best in zip(BLUE[:2], (9, 10)):
        week_entry(journal, who, "Blue", "checkin", "weekly-checkin", "2026-W49", best=best, mindset=5)
    frame, _ = load(journal)
    best = weekly_metrics.best_over_time(frame)
    blue = best[best["team"] == "Blue"]
    assert blue["week_label"].tolist() == ["2026-W48", "2026-W49"]
    assert blue["n"].tolist() == [3, 2]
    assert blue["mean"].iloc[0] == 7.0 and math.isnan(blue["mean"].iloc[1])
    assert math.isnan(row(best, scope="room", week_label="2026-W48")["mean"])  # 3 answers: too few for the room
    trend = row(weekly_metrics.best_by_team(best), team="Blue")
    assert (trend["checkins"], trend["first_mean"], trend["last_week"]) == (5, 7.0, "2026-W48")


def test_filters_by_team_and_date_range(room):
    frame, _ = load(room)
    only_blue = metrics.completion_by_team_lesson(frame, CATALOG, window=Window(teams=("Blue",)))
    assert set(only_blue["team"]) == {"Blue"}
    tomorrow = date.today() + timedelta(days=1)
    later = metrics.completion_by_team_lesson(frame, CATALOG, window=Window(start=tomorrow))
    assert later["answered"].sum() == 0 and set(later["team"]) == {"Blue", "Red"}
    earlier = metrics.mindset_before_after(frame, window=Window(end=date.today() - timedelta(days=1)))
    assert earlier.empty
    assert metrics.shared_wall(frame, CATALOG, window=Window(teams=("Red",)))["team"].tolist() == ["Red"]


def test_broken_lines_old_exercises_and_unknown_kinds_are_counted_not_fatal(room):
    path = room.path_for("Ann")
    with path.open("ab") as handle:
        handle.write(b'{"v": 1, "id": "torn", "participant": "Ann", "team\n')
        handle.write(json.dumps({"v": 2, "id": "new", "participant": "Ann", "team": "Blue",
                                 "kind": "exercise", "exercise": "notice-45", "answer": {}}).encode() + b"\n")
        handle.write(json.dumps({"v": 1, "id": "odd", "participant": "Ann", "team": "Blue", "kind": "poll",
                                 "exercise": None, "answer": {}}).encode() + b"\n")
    answer(room, "Bob", "Blue", "notice-retired", {"text": "old"})
    answer(room, "Cy", "Blue", "notice-retired", {"text": "old"})
    frame, loaded = load(room)
    assert loaded.files == 5 and loaded.participants == 5
    assert "2 lines skipped in 1 file" in loaded.summary()
    assert "2 entries for unknown exercises (notice-retired)" in loaded.summary()
    assert "1 entry of an unknown kind (poll)" in loaded.summary()
    assert "notice-retired" not in set(frame["exercise"])
    _, again = load(room)
    assert "2 lines skipped in 1 file" in again.summary()  # a refresh counts afresh


def test_an_empty_journal_gives_empty_views(journal):
    frame, loaded = load(journal)
    assert frame.empty and loaded.summary().startswith("0 participants")
    empty = {
        "members_signed_in": (metrics.members_signed_in(frame), "team members signed_in small_team"),
        "completion": (metrics.completion_by_team_lesson(frame, CATALOG),
                       "team notebook label members exercises answered possible share small_team"),
        "mindset": (metrics.mindset_before_after(frame),
                    "scope team measure before_n before_mean after_n after_mean change counts_only"),
        "wall": (metrics.shared_wall(frame, CATALOG), "team counts_only total at exercise title week card parts text"),
        "stories": (weekly_metrics.stories_per_week(frame), "team week week_label stories members share"),
        "habits": (weekly_metrics.habit_heatmap_table(frame, CATALOG),
                   "team habit label checkins participants share counts_only tracked"),
        "best": (weekly_metrics.best_over_time(frame), "scope team week week_label n mean small_team counts_only"),
    }
    for name, (view, columns) in empty.items():
        assert list(view.columns) == columns.split() and view.empty, name
    spread = choices.scenario_spread(frame, CATALOG)  # every response of the content, nobody's answer
    assert list(spread.columns) == ["exercise", "notebook", "title", "option", "option_text", "share",
                                    "respondents", "counts_only"]
    assert spread["option_text"].tolist() == ["Give the address", "Walk halfway", "Order it in"]
    assert spread["share"].isna().all() and set(spread["respondents"]) == {0} and spread["counts_only"].all()
    kept = weekly_metrics.commitments_kept(frame)  # the room's row, with nothing made or reviewed
    assert kept.drop(columns=["share_kept", "share_partly", "share_not_yet"]).to_dict("records") == [
        {"scope": "room", "team": "All teams", "made": 0, "reviewed": 0, "counts_only": True}]
    assert kept[["share_kept", "share_partly", "share_not_yet"]].isna().all().all()


def test_aggregation_never_imports_widgets():
    code = ("import sys, extramile.summary.journal_frame, extramile.summary.metrics, extramile.summary.charts, "
            "extramile.summary.report; "
            "assert 'ipywidgets' not in sys.modules, 'ipywidgets was imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_teams_are_listed_in_natural_order(journal):
    for team in ("Team 10", "team 9", "Amber", "Team 100"):
        for who in ("A", "B", "C"):
            joined(journal, f"{who} of {team}", team)
    frame, _ = load(journal)
    assert metrics.teams_in(frame) == ["Amber", "team 9", "Team 10", "Team 100"]


def test_progress_bar_stays_quiet_when_stderr_is_not_a_terminal(room, capsys):
    frame, _ = load_frame(room, progress=True, catalog=CATALOG)
    assert len(frame) and capsys.readouterr().err == ""


def test_two_tabs_that_both_replaced_an_answer_count_once(journal):
    first = answer(journal, "Ann", "Blue", "welcome-before", scale(2, "before"))
    answer(journal, "Ann", "Blue", "welcome-before", scale(3, "before"), replaces=first["id"])  # tab one
    answer(journal, "Ann", "Blue", "welcome-before", scale(9, "before"), replaces=first["id"])  # tab two
    for who in ("Bob", "Cy"):
        answer(journal, who, "Blue", "welcome-before", scale(9, "before"))
        answer(journal, who, "Blue", "notice-shelf", {"choice": 0, "option": "Give the address"})
        answer(journal, who, "Blue", "notice-shelf", {"choice": 0, "option": "Give the address"})  # none replaced
    frame, _ = load(journal)
    blue = row(metrics.mindset_before_after(frame), team="Blue", measure="mindset")
    assert (blue["before_n"], blue["before_mean"]) == (3, 9.0)  # the newest of Ann's two: 9
    assert len(frame[frame["exercise"] == "notice-shelf"]) == 2
    assert row(metrics.completion_by_team_lesson(frame, CATALOG), team="Blue", notebook="01_notice")["answered"] == 2


def test_one_team_however_its_name_was_typed_shown_as_first_seen(journal):
    joined(journal, "Ann", "Blue")
    joined(journal, "Bob", "blue")
    joined(journal, "Cy", " BLUE")
    answer(journal, "Bob", "blue", "notice-45", {"text": "Shared in lower case"}, shared=True)
    frame, _ = load(journal)
    assert metrics.teams_in(frame) == ["Blue"]
    assert row(metrics.members_signed_in(frame), team="Blue")["members"] == 3
    assert row(metrics.shared_wall(frame, CATALOG), team="Blue")["text"] == "Shared in lower case"


def test_scale_distribution_pools_only_teams_where_three_answered(room):
    for who, before in zip(("Gus", "Hal", "Ivy"), (4, 8, 8)):
        joined(room, who, "Green")
        answer(room, who, "Green", "welcome-before", scale(before, "before"))
    frame, _ = load(room)
    before = choices.scale_distribution(frame, "mindset").query("moment == 'before'").set_index("value")
    assert set(before["respondents"]) == {8}  # everyone counted...
    # ...but the bars are Blue's 4, 5, 6 and Green's 4, 8, 8 only: Red's 1 and 2 (two answers) are left out
    assert before["share"].to_dict() == {1: 0.0, 2: 0.0, 3: 0.0, 4: 0.3, 5: 0.2, 6: 0.2, 7: 0.0, 8: 0.3,
                                         9: 0.0, 10: 0.0}
    after = choices.scale_distribution(frame, "mindset").query("moment == 'after'")
    assert after["counts_only"].all() and after["share"].isna().all()  # Blue's three alone: too few for the room
