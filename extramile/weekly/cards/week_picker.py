"""The week at the top of the weekly journal: which week every card shows, and which week is "this week".

"This week" is the ISO week of the participant's own calendar. The server
only knows its clock, so the picker asks the browser for its date once
(BrowserDate) and moves "this week" when the two disagree, by at most the
two days two time zones can differ by. Weeks with an answer are marked, and
the list reaches back a year, or to the oldest week answered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import ipywidgets as w

from extramile.content import weekly_text, weeks
from extramile.participant.cards.browser_date import BrowserDate

PAST_WEEKS = 52
BROWSER_DATE_SLACK = timedelta(days=2)  # the most two time zones' calendars can differ by


class WeekPicker:
    """The dropdown of weeks and the browser's date; calls back when the picked or the current week moves."""

    def __init__(self, text: weekly_text.WeekPickerText, today: date | None,
                 on_picked: Callable[[], None], on_new_week: Callable[[], None]) -> None:
        self.text = text
        self.server_today = self.today = today or weeks.local_today()
        self.current = self.week = weeks.this_week(self.today)
        self.on_picked, self.on_new_week = on_picked, on_new_week
        self._listing = False
        self.dropdown = w.Dropdown(layout=w.Layout(width="100%", max_width="28em"))
        self.dropdown.observe(self._picked, names="value")
        self.browser_date = BrowserDate()
        self.browser_date.observe(lambda change: self.browser_says(change["new"]), names="today")

    def pick(self, week: str) -> None:
        """Show another week (what choosing it in the dropdown does)."""
        self.dropdown.value = week

    def _picked(self, change: dict) -> None:
        if self._listing or change["new"] is None:
            return
        self.week = change["new"]
        self.on_picked()

    def browser_says(self, value: str) -> None:
        """The browser's local date arrived: its week is the participant's this week."""
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            return
        if abs(day - self.server_today) > BROWSER_DATE_SLACK:
            return
        self.today = day
        current = weeks.this_week(day)
        if current == self.current:
            return
        if self.week == self.current:
            self.week = current
        self.current = current
        self.on_new_week()

    def list_weeks(self, answered: set[str]) -> None:
        """List the weeks, newest first, marking those answered; keep the picked one if it is still listed."""
        earliest = min([weeks.shift(self.current, -PAST_WEEKS), *(wk for wk in answered if wk <= self.current)])
        listed = weeks.weeks_between(earliest, self.current)[::-1]
        mark = f" {self.text.filled}"
        options = tuple((weeks.label(wk, self.current) + (mark if wk in answered else ""), wk) for wk in listed)
        if self.week not in listed:
            self.week = self.current
        if self.dropdown.options != options or self.dropdown.value != self.week:
            self._listing = True
            try:
                self.dropdown.options, self.dropdown.value = options, self.week
            finally:
                self._listing = False
