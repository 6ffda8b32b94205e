"""The weeks after the workshop: a new question every week for eight weeks, the team's question, the month's
scenario written from the team's own stories, and a privacy sentence that is true word for word."""

import shutil
from datetime import date, datetime

import pytest

from extramile.content import Catalog, weeks
from extramile.content.weekly_text import weekly_journal
from extramile.identity.identity import Participant
from extramile.participant.answers import AnswerBook
from extramile.store.journal import Journal
from extramile.summary.journal_frame import load_frame
from extramile.summary.report import build_report
from extramile.summary.weekly_metrics import best_by_team, best_over_time
from extramile.weekly.monthly import month_of, scenario_for
from extramile.weekly.weekly_page import WeeklyJournalPage
from tests.conftest import Shown

ZOE = Participant("Zoë", "Blue")
TODAY = date(2026, 11, 26)


def open_weekly(journal, participant=ZOE, today=TODAY):
    return WeeklyJournalPage(AnswerBook(Journal(journal.directory), participant), Journal(journal.directory),
                             today=today)


def shown(widget):
    return Shown(widget.value).text


# --- eight weeks, eight questions -----------------------------------------------------------------

def test_eight_weeks_in_a_row_ask_eight_different_questions_and_each_has_a_team_question(journal):
    page = open_weekly(journal)
    eight = [weeks.shift(page.weeks.current, -n) for n in range(8)]
    asked, team_questions = [], []
    for week in eight:
        page.weeks.pick(week)
        asked.append(shown(page.story.theme))
        team_questions.append(shown(page.team_question))
    assert len(set(asked)) == 8 and len(set(team_questions)) == 8
    rotation = weekly_journal().rotation
    assert {theme.title for theme in rotation} == {next(t.title for t in rotation if t.title in a) for a in asked}
    assert all(question.startswith("This week's team question") for question in team_questions)
    page.weeks.pick(weeks.shift(page.weeks.current, -8))
    assert shown(page.story.theme) == asked[0], "the ninth week starts the round again"


def test_the_questions_include_the_ones_the_trainer_asked_for():
    titles = [theme.title for theme in weekly_journal().rotation]
    for wanted in ("The 45 seconds I spotted", "An obstacle and the opportunity in it",
                   "When I nearly made someone feel like an inconvenience", "The one I missed"):
        assert wanted in titles


def test_the_whole_team_sees_the_same_question_in_the_same_week(journal):
    zoe, omar = open_weekly(journal), open_weekly(journal, Participant("Omar", "Blue"), today=date(2026, 11, 23))
    assert shown(zoe.story.theme) == shown(omar.story.theme)
    assert shown(zoe.team_question) == shown(omar.team_question)


def test_a_saved_story_stays_with_its_week_when_the_question_moves_on(journal):
    page = open_weekly(journal)
    page.story.parts["happened"].value = "I spotted it"
    page.story.save_button.click()
    page.weeks.pick(weeks.shift(page.weeks.current, -1))
    assert page.story.parts["happened"].value == ""
    page.weeks.pick(page.weeks.current)
    assert page.story.parts["happened"].value == "I spotted it"


# --- the month's scenario, from the team's own stories --------------------------------------------

MONTHLY = """\
scenarios:
  - id: monthly-2026-11-blue
    month: 2026-11
    teams: [blue]
    kind: scenario
    setting: phone
    title: The caller who was cut off twice
    prompt: What would you do?
    situation: A caller has been cut off twice while being transferred to you.
    options:
      - {id: call-back, text: Give your direct number first, feedback: "It costs a minute, but they never
          fall through the gap again, and you may {extra_time}."}
      - {id: apologize, text: Apologize for the transfers, feedback: Kind but it fixes nothing.}
      - {id: carry-on, text: Carry on with the question, feedback: Quick but the caller still feels lost.}
  - id: monthly-2026-11-everyone
    month: 2026-11
    kind: scenario
    setting: retail
    title: For every team
    prompt: What would you do?
    situation: Something happened in a shop.
    options:
      - {id: a, text: One, feedback: Because.}
      - {id: b, text: Two, feedback: Because.}
      - {id: c, text: Three, feedback: Because.}
"""


@pytest.fixture
def monthly_file(monkeypatch, tmp_path):
    from extramile.content.content_files import EXERCISES_DIR
    from extramile.weekly import monthly

    directory = tmp_path / "exercises"
    directory.mkdir()
    shutil.copy(EXERCISES_DIR / "workshop.yaml", directory / "workshop.yaml")
    shutil.copy(EXERCISES_DIR / "habits.yaml", directory / "habits.yaml")
    real = monthly.monthly_scenarios
    monkeypatch.setattr(monthly, "monthly_scenarios", lambda _directory=None: real(directory))

    def write(text):
        (directory / "monthly_scenarios.yaml").write_text(text, encoding="utf-8")
    write(MONTHLY)
    return write


def test_the_month_of_a_week_is_the_month_of_its_thursday():
    assert month_of("2026-W48") == "2026-11" and month_of("2026-W49") == "2026-12"
    assert month_of("2026-W53") == "2026-12" and month_of("2027-W01") == "2027-01"


def test_a_team_sees_its_own_months_scenario_and_its_choice_is_saved(journal, monthly_file):
    page = open_weekly(journal)
    card = page.monthly_card
    assert card is not None and card.exercise.id == "monthly-2026-11-blue"
    assert "written from our own team's stories" in shown(page.monthly.children[0])
    assert "you may spend up to 10 extra minutes with one customer" in card.exercise.options[0].feedback
    card.choice.value = "call-back"
    card.save_button.click()
    [entry] = [e for e in Journal(journal.directory).entries("Zoë") if e["exercise"] == "monthly-2026-11-blue"]
    assert entry["answer"] == {"option": "call-back", "first": "call-back"}
    assert entry["kind"] == "exercise" and entry["shared"] is False
    assert open_weekly(journal).monthly_card.choice.value == "call-back"


def test_another_team_sees_the_scenario_for_every_team_and_another_month_sees_none(journal, monthly_file):
    red = open_weekly(journal, Participant("Rita", "Red"))
    assert red.monthly_card.exercise.id == "monthly-2026-11-everyone"
    red.weeks.pick("2026-W44")  # a week of October
    assert red.monthly_card is None and red.monthly.children == ()
    assert scenario_for("Blue", "2026-W44") is None


def test_nobody_signed_out_sees_a_scenario(journal, monthly_file):
    assert open_weekly(journal, participant=None).monthly.children == ()


def test_a_slip_in_the_monthly_file_is_named_and_the_rest_of_the_page_still_works(journal, monthly_file):
    monthly_file(MONTHLY.replace("    setting: phone\n", ""))
    page = open_weekly(journal)
    message = shown(page.monthly.children[0])
    assert "monthly_scenarios.yaml" in message and "monthly-2026-11-blue" in message and "'setting'" in message
    page.checkin.save_button.click()
    assert "Saved" in page.checkin.status.value


def test_a_new_monthly_scenario_appears_without_restarting_the_server(journal, monthly_file):
    monthly_file("scenarios: []\n")
    assert open_weekly(journal).monthly_card is None
    monthly_file(MONTHLY)
    assert open_weekly(journal).monthly_card.exercise.id == "monthly-2026-11-blue"


# --- "Am I doing my best?": the privacy sentence, word for word -----------------------------------

PRIVACY = ("No page or report shows anyone else your own numbers. The facilitator's report counts how many of "
           "your team checked in each week, and gives your team's average \"Am I doing my best?\" for a week, as a "
           "whole number, only when three or more of you answered it. Your weekly mindset number is shown to you "
           "alone, under My trends.")


def test_the_check_in_says_exactly_the_privacy_sentence_these_tests_prove(journal):
    assert " ".join(weekly_journal().checkin.privacy.split()) == PRIVACY
    card = open_weekly(journal).checkin
    assert [PRIVACY in shown(child) for child in card.children if hasattr(child, "value")].count(True) == 1


BLUE = {"Ann": (2, 1), "Bob": (6, 4), "Cy": (9, 10)}  # best, mindset
RED = {"Dee": (3, 2), "Eli": (8, 9)}


def report_of(directory, blue=BLUE, red=RED):
    shutil.rmtree(directory, ignore_errors=True)
    journal = Journal(directory)
    for team, people in (("Blue", blue), ("Red", red)):
        for who, (best, mindset) in people.items():
            journal.append(participant=who, team=team, kind="profile", answer={"team": team})
            journal.append(participant=who, team=team, kind="checkin", exercise="weekly-checkin",
                           answer={"week": "2026-W48", "best": best, "mindset": mindset})
    catalog = Catalog.from_content()
    frame, loaded = load_frame(journal, catalog=catalog)
    html = build_report(frame, loaded, catalog, generated=datetime(2026, 11, 30, 9, 0).astimezone())
    return frame, html


def test_the_weekly_mindset_number_is_in_no_report(tmp_path):
    _, first = report_of(tmp_path / "j")
    _, other = report_of(tmp_path / "j", {who: (best, 7) for who, (best, _) in BLUE.items()},
                         {who: (best, 7) for who, (best, _) in RED.items()})
    assert first == other


def test_a_team_average_needs_three_answers_and_is_a_whole_number(tmp_path):
    frame, first = report_of(tmp_path / "j")
    _, red_changed = report_of(tmp_path / "j", red={"Dee": (5, 2), "Eli": (8, 9)})
    assert first == red_changed, "two answers show no figure that could give one of them away"
    by_team = best_by_team(best_over_time(frame)).set_index("team")
    assert by_team.loc["Blue", "last_mean"] == 6 == round((2 + 6 + 9) / 3)
    assert by_team.loc["Red", "checkins"] == 2 and by_team["last_mean"].isna()["Red"]


# --- a team that does not sell, in the facilitator's report ---------------------------------------

def test_the_report_shows_a_team_of_its_own_habits_as_not_tracking_the_others(journal, workshop_yaml):
    from extramile.content import workshop_choices
    from extramile.summary import charts, weekly_metrics

    workshop_yaml("teams:\n  Support desk:\n    sells: false\n")
    support = workshop_choices.habits(team="Support desk")
    for who in ("Sam", "Sue", "Sid"):
        journal.append(participant=who, team="support desk", kind="habit", exercise="weekly-habits",
                       answer={"week": "2026-W48", "values": {h.id: (2 if h.weekly == "count" else True)
                                                               for h in support}})
    catalog = Catalog.from_content()
    frame, _ = load_frame(journal, catalog=catalog)
    table = weekly_metrics.habit_heatmap_table(frame, catalog).set_index("habit")
    assert not table.loc["call-customers", "tracked"] and table.loc["close-the-loop", "tracked"]
    assert table.loc["close-the-loop", "share"] == 1.0
    charts.habits_chart(table.reset_index())  # draws "not tracked" cells without error
