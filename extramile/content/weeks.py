"""The weekly journal's calendar: ISO weeks ("2026-W48", Monday to Sunday) and its fixed exercise ids.

A week is kept as that string everywhere (journal answers, the week picker,
trends) because it sorts in time order, reads the same in a report, and is
what the journal format promises. The week of an entry is the ISO week of the
participant's local date; `this_week()` takes that date when the page knows
it (the browser tells it) and the server's local date until then.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from extramile.exceptions import NotAWeek

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")

# The weekly entries' exercise ids, fixed by the journal format (journal/README.md).
STORY = "weekly-story"
HABITS = "weekly-habits"
CHECKIN = "weekly-checkin"
REVIEW = "weekly-commitment-review"
COMMITMENT = "weekly-commitment"
WEEKLY_EXERCISES = (STORY, HABITS, CHECKIN, REVIEW, COMMITMENT)
STORY_PARTS = ("happened", "did", "learned")
REVIEW_STATUSES = ("kept", "partly", "not-yet")  # a weekly review's answers, as the journal stores them


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def local_today() -> date:
    """The server's local date: the best guess until the participant's browser says otherwise."""
    return datetime.now().astimezone().date()


def this_week(today: date | None = None) -> str:
    return week_of(today or local_today())


def is_week(value: object) -> bool:
    if not isinstance(value, str):
        return False
    match = _WEEK.match(value)
    if not match:
        return False
    try:
        date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return False
    return True


def weekly_answer(entry: dict) -> dict | None:
    """The entry's answer if it is a weekly one (a dict naming a real ISO week), else None.

    Journals are plain files that people may edit and older versions wrote, so
    every reader of weekly entries skips an odd answer the same way.
    """
    answer = entry.get("answer")
    return answer if isinstance(answer, dict) and is_week(answer.get("week")) else None


def monday(week: str) -> date:
    """The Monday that starts the week; NotAWeek for anything that is not an ISO week."""
    match = _WEEK.match(week) if isinstance(week, str) else None
    if not match:
        raise NotAWeek(f"Not an ISO week such as 2026-W48: {week!r}")
    return date.fromisocalendar(int(match[1]), int(match[2]), 1)


def shift(week: str, weeks: int) -> str:
    return week_of(monday(week) + timedelta(weeks=weeks))


def weeks_between(first: str, last: str) -> list[str]:
    """Every week from first to last inclusive, oldest first (empty when first is after last)."""
    start, end = monday(first), monday(last)
    return [week_of(start + timedelta(weeks=n)) for n in range((end - start).days // 7 + 1)]


def span(week: str) -> str:
    """'23-29 Nov 2026', '30 Nov-6 Dec 2026' or '28 Dec 2026-3 Jan 2027': the week's days, for people."""
    start = monday(week)
    end = start + timedelta(days=6)
    if start.year != end.year:
        return f"{start.day} {start:%b %Y}\u2013{end.day} {end:%b %Y}"
    if start.month != end.month:
        return f"{start.day} {start:%b}\u2013{end.day} {end:%b %Y}"
    return f"{start.day}\u2013{end.day} {end:%b %Y}"


def heading(week: str) -> str:
    """'Week 48, 23-29 Nov 2026': a week named by its dates, which stay true however long the file is kept."""
    return f"Week {int(week[-2:])}, {span(week)}"


def human_date(day: date) -> str:
    """'Fri 4 Jul 2025': a date as people write it, not as a computer stores it."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def readable_date(value: str) -> str:
    """'Fri 4 Jul 2025' for a stored '2025-07-04'; anything else as it was written."""
    try:
        return human_date(date.fromisoformat(value))
    except ValueError:
        return value


def label(week: str, current: str) -> str:
    """'This week (23-29 Nov 2026)', 'Last week (...)' or 'Week 46 (9-15 Nov 2026)'."""
    if week == current:
        name = "This week"
    elif week == shift(current, -1):
        name = "Last week"
    else:
        name = f"Week {int(week[-2:])}"
    return f"{name} ({span(week)})"
