"""My trends and the week calendar: counted from my own entries, drawn only from what is there."""

import re
from datetime import date

import pytest

from extramile.content import weeks, workshop_choices
from extramile.weekly.trends import (
    NARROW,
    TEXT_EM,
    WIDTH,
    checkin_chart,
    date_labels,
    habit_heatmap_svg,
    heatmap_weeks,
    moving_average,
    trends_of,
)
from tests.conftest import Shown

NOW = "2026-W48"


def habits_shipped():
    return workshop_choices.habits()


def story(week, text="something happened", exercise="weekly-story"):
    return {"exercise": exercise, "answer": {"week": week, "happened": text, "did": "", "learned": ""}}


def checkin(week, best, mindset):
    return {"exercise": "weekly-checkin", "answer": {"week": week, "best": best, "mindset": mindset}}


def habits(week, values):
    return {"exercise": "weekly-habits", "answer": {"week": week, "values": values}}


# --- the calendar -------------------------------------------------------------------------------

@pytest.mark.parametrize("day, week", [
    (date(2026, 11, 23), "2026-W48"), (date(2026, 11, 29), "2026-W48"), (date(2026, 11, 30), "2026-W49"),
    (date(2026, 12, 31), "2026-W53"), (date(2027, 1, 3), "2026-W53"), (date(2027, 1, 4), "2027-W01"),
])
def test_the_week_is_the_iso_week_of_the_date(day, week):
    assert weeks.week_of(day) == week


def test_weeks_shift_and_span_across_the_new_year():
    assert weeks.shift("2027-W01", -1) == "2026-W53"
    assert weeks.weeks_between("2026-W52", "2027-W02") == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    assert weeks.span("2026-W53") == "28 Dec 2026\u20133 Jan 2027"
    assert weeks.span("2026-W49") == "30 Nov\u20136 Dec 2026"


def test_labels_say_this_week_and_last_week():
    assert weeks.label(NOW, NOW) == "This week (23\u201329 Nov 2026)"
    assert weeks.label("2026-W47", NOW) == "Last week (16\u201322 Nov 2026)"
    assert weeks.label("2026-W45", NOW) == "Week 45 (2\u20138 Nov 2026)"


@pytest.mark.parametrize("value", ["2026-W48", "2026-W53", "2020-W53"])
def test_real_weeks_are_weeks(value):
    assert weeks.is_week(value)


@pytest.mark.parametrize("value", ["2025-W53", "2026-W00", "2026-W54", "2026-48", "", None, 2026, "2026-W4"])
def test_anything_else_is_not_a_week(value):
    assert not weeks.is_week(value)
    if isinstance(value, str) and not value.startswith("2025"):
        with pytest.raises(ValueError):
            weeks.monday(value)


# --- counting -----------------------------------------------------------------------------------

def test_a_new_participant_has_no_trends():
    found = trends_of([], NOW)
    assert found.empty and found.stories == 0 and found.streak == 0


def test_stories_count_once_per_week_and_blank_ones_do_not_count():
    found = trends_of([story("2026-W40"), story("2026-W40", "edited in another tab"), story("2026-W41", "   ")], NOW)
    assert found.stories == 1


def test_the_streak_runs_up_to_this_week():
    found = trends_of([story(w) for w in ("2026-W44", "2026-W46", "2026-W47", "2026-W48")], NOW)
    assert found.streak == 3


def test_the_streak_is_not_broken_while_this_week_is_still_open():
    found = trends_of([story("2026-W46"), story("2026-W47")], NOW)
    assert found.streak == 2


def test_a_missed_week_ends_the_streak():
    assert trends_of([story("2026-W45"), story("2026-W46")], NOW).streak == 0


def test_the_streak_crosses_the_new_year():
    entries = [story(w) for w in ("2026-W52", "2026-W53", "2027-W01")]
    assert trends_of(entries, "2027-W01").streak == 3


def test_odd_answers_are_skipped_not_fatal():
    entries = [
        {"exercise": "weekly-checkin", "answer": "not a dict"},
        {"exercise": "weekly-checkin", "answer": {"week": "2026-W99", "best": 5, "mindset": 5}},
        checkin("2026-W40", 11, 5), checkin("2026-W41", True, 5), checkin("2026-W42", 7, 6),
        {"exercise": "weekly-story", "answer": {"week": "2026-W42", "happened": 42}},
        habits("2026-W42", "all of them"),
        {"exercise": "notice-something", "answer": {"text": "a lesson answer"}},
    ]
    found = trends_of(entries, NOW)
    assert found.checkins == {"2026-W42": (7, 6)} and found.stories == 0 and found.habits == {}


# --- drawing ------------------------------------------------------------------------------------

def test_the_check_in_chart_has_a_line_each_and_escaped_labels():
    found = trends_of([checkin("2026-W46", 4, 5), checkin("2026-W48", 8, 9)], NOW)
    svg = checkin_chart(found, "Best <b>", "Mindset")
    assert svg.startswith("<svg") and svg.count("<polyline") == 2 and svg.count("<circle") == 4
    drawn = Shown(svg)
    assert "Best <b>" in drawn.text and "b" not in drawn.tags


def test_a_long_chart_adds_a_four_week_average_over_faint_weekly_lines():
    found = trends_of([checkin(w, 1 + i % 10, 5) for i, w in enumerate(weeks.weeks_between("2026-W01", NOW))], NOW)
    svg = checkin_chart(found, "Best", "Mindset")
    assert svg.count("<polyline") == 4 and "<circle" not in svg and 'stroke-opacity="0.3"' in svg
    averaged = dict(moving_average(found, 0))
    assert averaged["2026-W01"] == 1 and averaged["2026-W04"] == (1 + 2 + 3 + 4) / 4


def test_the_heat_map_marks_counts_ticks_and_weeks_without_a_check():
    found = trends_of([habits("2026-W46", {"call-customers": 6, "service-requests-first": True}),
                       habits("2026-W48", {"call-customers": 0, "service-requests-first": False})], NOW)
    svg = habit_heatmap_svg(found, habits_shipped(), "My habits")
    w46, w48 = weeks.heading("2026-W46"), weeks.heading("2026-W48")
    assert f"<title>{w46}: 6</title>" in svg and f"<title>{w46}: yes</title>" in svg
    assert f"<title>{w48}: 0</title>" in svg and f"<title>{w48}: no</title>" in svg
    assert weeks.heading("2026-W47") not in svg and 'fill="none"' in svg
    assert len(heatmap_weeks(found)) == 12


def test_habits_older_than_a_year_draw_no_heat_map():
    found = trends_of([habits("2024-W10", {"call-customers": 3})], NOW)
    assert heatmap_weeks(found) == [] and habit_heatmap_svg(found, habits_shipped(), "My habits") == ""


def test_the_axis_says_dates_never_the_same_month_twice():
    found = trends_of([checkin(w, 5, 6) for w in ("2026-W45", "2026-W46", "2026-W47", "2026-W48")], NOW)
    for width in (WIDTH, NARROW):
        drawn = Shown(checkin_chart(found, "Best", "Mindset", width)).texts
        ticks = [t for t in drawn if re.match(r"\d+ [A-Z][a-z]{2}", t)]
        assert len(ticks) == len(set(ticks)) >= 3, ticks
        assert ticks[0] == "2 Nov" and ticks[-1] == "23 Nov 2026"


def test_axis_labels_say_the_year_where_it_changes():
    assert date_labels(["2026-W52", "2027-W01", "2027-W02"]) == ["21 Dec 2026", "4 Jan 2027", "11 Jan"]
    assert date_labels(["2026-W50", "2027-W02"]) == ["7 Dec 2026", "11 Jan 2027"]
    assert date_labels(["2026-W45", "2026-W48"]) == ["2 Nov", "23 Nov 2026"]


@pytest.mark.parametrize("width", [WIDTH, NARROW])
def test_habit_labels_wrap_inside_the_drawing_instead_of_running_off_it(width):
    long = workshop_choices.Habit(id="long", label="Send each new customer a handwritten thank-you note within a day "
                                  "of the sale", weekly="count", weekly_prompt="How many?")
    found = trends_of([habits("2026-W48", {"long": 2})], NOW)
    svg = habit_heatmap_svg(found, [long], "My habits", width)
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert " ".join(lines) == long.label and len(lines) >= 2
    assert all(len(line) * TEXT_EM <= width - 4 for line in lines)
    bottom = max(float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)"', svg))
    assert bottom + 14 <= float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg)[1])
