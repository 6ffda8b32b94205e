"""Notebooks written for `extramile.summary_view` keep working: it is extramile.summary.summary_view now."""

from extramile.summary.summary_view import (
    AUTO_REFRESH_SECONDS,
    TABS,
    SummaryView,
    show_summary,
    summary_view,
)

__all__ = [
    "AUTO_REFRESH_SECONDS",
    "SummaryView",
    "TABS",
    "show_summary",
    "summary_view",
]
