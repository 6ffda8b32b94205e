"""Nobody's answer can be worked out from the report, however the figures are combined.

Each test is an attack from issue 12 on a hand-made journal. The check is
the strict one: re-run the report with the secret answer changed. If the
report (and every summary table) comes out the same for another value, the
secret cannot be computed from it. Where the secret should not count at all,
every value gives the same report.
"""

import shutil
from datetime import datetime

import pytest

from extramile.content import Catalog, ExerciseInfo, HabitInfo
from extramile.store.journal import Journal
from extramile.summary import choices, disclosure, metrics, report, weekly_metrics
from extramile.summary.journal_frame import load_frame
from extramile.summary.metrics import Window

CATALOG = Catalog(
    exercises={e.id: e for e in (
        ExerciseInfo(id="welcome-before", kind="scale", notebook="00_welcome", title="Mindset before",
                     measure="mindset", moment="before"),
        ExerciseInfo(id="notice-shelf", kind="scenario", notebook="01_notice", title="Not on the shelf",
                     lesson="notice", options=("Give the address", "Walk halfway", "Order it in")),
    )},
    notebooks={"00_welcome": "Welcome", "01_notice": "Notice"},
    habits=(HabitInfo("call", "Call customers", "count"),),
)
GENERATED = datetime(2026, 11, 26, 9, 0).astimezone()
SCALE = range(1, 11)
WEEK = "2026-W48"


def person(journal, who, team, *, mindset=None, best=None, choice=None, review=None, called=None):
    """One participant: signed in, with whichever answers are given."""
    journal.append(participant=who, team=team, kind="profile", answer={"team": team})
    if mindset is not None:
        journal.append(participant=who, team=team, kind="exercise", exercise="welcome-before",
                       answer={"value": mindset, "measure": "mindset", "moment": "before"})
    if best is not None:
        journal.append(participant=who, team=team, kind="checkin", exercise="weekly-checkin",
                       answer={"week": WEEK, "best": best, "mindset": 5})
    if choice is not None:
        journal.append(participant=who, team=team, kind="exercise", exercise="notice-shelf",
                       answer={"choice": choice, "option": CATALOG.exercises["notice-shelf"].options[choice]})
    if review is not None:
        made = journal.append(participant=who, team=team, kind="commitment", exercise="weekly-commitment",
                              answer={"week": "2026-W47", "idea": "Call", "action": "Call Jo"})
        journal.append(participant=who, team=team, kind="commitment", exercise="weekly-commitment-review",
                       answer={"week": WEEK, "commitment": made["id"], "status": review})
    if called is not None:
        journal.append(participant=who, team=team, kind="habit", exercise="weekly-habits",
                       answer={"week": WEEK, "values": {"call": called}})


def everything(journal_dir, write, secret, html=False) -> str:
    """Every table of the summary (and, if asked, the whole report) for a fresh journal holding `secret`."""
    shutil.rmtree(journal_dir, ignore_errors=True)
    journal = Journal(journal_dir)
    write(journal, secret)
    frame, loaded = load_frame(journal, catalog=CATALOG)
    tables = [metrics.members_signed_in(frame), metrics.completion_by_team_lesson(frame, CATALOG),
              metrics.mindset_before_after(frame), choices.scenario_spread(frame, CATALOG),
              weekly_metrics.habit_heatmap_table(frame, CATALOG), weekly_metrics.commitments_kept(frame),
              weekly_metrics.best_over_time(frame)]
    for teams in (("Blue",), ("Green",), ("Red",), ("Blue", "Red")):  # a report per team, to subtract
        window = Window(teams)
        tables += [metrics.mindset_before_after(frame, window=window),
                   choices.scenario_spread(frame, CATALOG, window=window),
                   weekly_metrics.commitments_kept(frame, window=window),
                   weekly_metrics.best_over_time(frame, window=window)]
    text = "\n".join(table.to_csv() for table in tables)
    if html:
        text += report.build_report(frame, loaded, CATALOG, generated=GENERATED)
    return text


def twins(journal_dir, write, secrets) -> dict:
    """For each secret value, the other values that give exactly the same summary."""
    seen = {secret: everything(journal_dir, write, secret) for secret in secrets}
    return {secret: [other for other in secrets if other != secret and seen[other] == seen[secret]]
            for secret in secrets}


def look_alikes(journal_dir, write, secret, others) -> list:
    """The other values that give exactly the same summary tables and report as `secret`."""
    page = everything(journal_dir, write, secret, html=True)
    return [other for other in others if other != secret and everything(journal_dir, write, other, html=True) == page]


def blue_and_green(journal):
    """Two teams of three that all answered everything: their figures are shown."""
    for who, value, choice, review in (("Ann", 4, 0, "kept"), ("Bob", 5, 1, "partly"), ("Cy", 6, 0, "kept")):
        person(journal, who, "Blue", mindset=value, best=value, choice=choice, review=review, called=1)
    for who, value, choice, review in (("Gus", 7, 1, "kept"), ("Hal", 8, 2, "not-yet"), ("Ivy", 9, 0, "kept")):
        person(journal, who, "Green", mindset=value, best=value, choice=choice, review=review, called=0)


# (a) "All teams" minus the teams shown gives back a hidden team's answers.

def red_two_of_three_answer(journal, secret):
    blue_and_green(journal)
    value, choice, review = secret
    for who in ("Dee", "Eli"):
        person(journal, who, "Red", mindset=value, best=value, choice=choice, review=review, called=value)
    person(journal, "Fox", "Red")  # the third member, who answered nothing


def red_one_of_three_answers(journal, secret):
    blue_and_green(journal)
    value, choice, review = secret
    person(journal, "Dee", "Red", mindset=value, best=value, choice=choice, review=review, called=value)
    person(journal, "Eli", "Red")
    person(journal, "Fox", "Red")


@pytest.mark.parametrize("write", [red_two_of_three_answer, red_one_of_three_answers])
def test_hidden_answers_are_not_in_the_all_teams_row(tmp_path, write):
    secrets = [(1, 0, "kept"), (10, 2, "not-yet"), (5, 1, "partly")]
    pages = {everything(tmp_path / "j", write, secret, html=True) for secret in secrets}
    assert len(pages) == 1  # the report is the same whatever Red answered


def test_the_all_teams_row_is_still_shown_from_the_teams_that_are(tmp_path):
    page = everything(tmp_path / "j", red_two_of_three_answer, (1, 0, "kept"), html=True)
    mindset = page[page.index("Mindset before and after</h3>"):]
    assert "<td>All teams</td><td class='emr-num'>7 (8)</td>" in mindset  # all 8 answers counted; Blue's
    # and Green's six averaged: 39 / 6 = 6.5, shown as 7


# (b) In a team of three where all answered, two members subtract their own scores.

def blue_of_three_with_cy(journal, cy):
    person(journal, "Ann", "Blue", mindset=4, best=4)
    person(journal, "Bob", "Blue", mindset=5, best=5)
    person(journal, "Cy", "Blue", mindset=cy, best=cy)
    for who, value in (("Gus", 7), ("Hal", 8), ("Ivy", 9)):
        person(journal, who, "Green", mindset=value, best=value)


def test_two_teammates_cannot_subtract_their_scores_to_get_the_third(tmp_path):
    # Ann (4) and Bob (5) know Blue's mean is over their scores and Cy's 8; so would it be for 9 or 10.
    assert look_alikes(tmp_path / "j", blue_of_three_with_cy, 8, SCALE) == [9, 10]


# (c) Two reports a day apart differ by one late answer.

def day_two_with_dan(journal, dan):
    for who, value in (("Ann", 4), ("Bob", 5), ("Cy", 6)):
        person(journal, who, "Blue", mindset=value, best=value)
    for who, value in (("Gus", 7), ("Hal", 8), ("Ivy", 9)):
        person(journal, who, "Green", mindset=value, best=value)
    person(journal, "Dan", "Blue", mindset=dan, best=dan)  # arrived late: the only change since yesterday


def test_a_late_answer_cannot_be_read_off_the_difference_between_two_reports(tmp_path):
    candidates = twins(tmp_path / "j", day_two_with_dan, SCALE)
    assert all(candidates.values()), candidates
    assert everything(tmp_path / "j", day_two_with_dan, 5, html=True) == \
        everything(tmp_path / "j", day_two_with_dan, 6, html=True)


# The rule itself, for callers with plain numbers (a live console).

def test_rule_functions_work_from_plain_numbers():
    assert disclosure.shown_mean(17, 3) == 6.0 and disclosure.shown_mean(9, 2) is None
    assert disclosure.pooled_mean({"Blue": (15, 3), "Red": (11, 2)}) is None  # Red cannot be pooled; 3 < 5
    assert disclosure.pooled_mean({"Blue": (15, 3), "Green": (24, 3), "Red": (11, 2)}) == 7.0
    assert disclosure.shown_share(1, 3) == 0.3 and disclosure.shown_share(1, 2) is None
    assert disclosure.pooled_share({"Blue": (2, 3), "Green": (1, 3), "Red": (2, 2)}) == 0.5
    assert disclosure.shown_share(2, 9, answers=3) == 0.2  # nine check-ins by three people
    assert disclosure.change(5.0, 7.0) == 2.0 and disclosure.change(None, 7.0) is None


def test_shares_of_one_question_add_up_to_a_hundred_in_steps_of_ten():
    assert disclosure.shown_shares([1, 3, 2, 1], 7) == [0.2, 0.4, 0.3, 0.1]  # not 10+40+30+10 = 90%
    for n in range(3, 41):
        for first in range(n + 1):
            for second in range(n - first + 1):
                counts = [first, second, n - first - second]
                shares = disclosure.shown_shares(counts, n)
                assert round(sum(shares), 6) == 1.0, counts
                for count, share in zip(counts, shares):
                    assert abs(share - count / n) < disclosure.SHARE_STEP, counts  # one step at most
                    assert round(share * 10, 6) == int(round(share * 10, 6))
    assert disclosure.shown_shares([1, 1], 2) is None  # the threshold is unchanged


def test_pooled_shares_leave_out_teams_too_small_to_show():
    pooled = disclosure.pooled_shares({"Blue": ([2, 1, 0], 3), "Green": ([0, 3, 0], 3), "Red": ([0, 0, 2], 2)})
    assert pooled == [0.3, 0.7, 0.0]  # Red's two answers for the third response are not in the room's shares
    assert disclosure.pooled_shares({"Blue": ([2, 1, 0], 3), "Red": ([0, 0, 2], 2)}) is None  # 3 < 5


def test_a_waiting_figure_says_why_in_the_rooms_words():
    assert disclosure.why_waiting({"Blue": 4, "Green": 2}) == (
        "A figure shows once 3 people in a team have answered, and 5 across such teams: Blue 4, Green 2 so far.")
    assert disclosure.why_waiting({}).endswith("No answers yet.")
