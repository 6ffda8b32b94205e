"""Notebooks written for `extramile.weekly_page` keep working: it is extramile.weekly.weekly_page now."""

from extramile.weekly.weekly_page import (
    SECTIONS,
    WeeklyJournalPage,
)

__all__ = [
    "SECTIONS",
    "WeeklyJournalPage",
]
