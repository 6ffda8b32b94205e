"""This month's scenario on the weekly page: written by the facilitator from a story a team chose to share.

The mechanism is deliberately human. Once a month the facilitator reads the
shared stories in the report ("The wall": shared answers, never names), picks
one, asks its writer, and writes it as a scenario in
exercises/monthly_scenarios.yaml in their own words, with names, places and
telling details changed. Nothing is copied automatically from a journal: a
story only reaches a scenario through someone who can judge what would give
its writer away. The file says which month and which teams see it.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from pathlib import Path

from pydantic import Field, field_validator

from extramile.content import MONTHLY_FILE, Scenario, weeks, workshop_choices
from extramile.content.content_files import EXERCISES_DIR, Strict, load_model, read_yaml
from extramile.identity.teams import team_key


class MonthlyScenario(Scenario):
    """A scenario for the weeks of one month (YYYY-MM), for the teams listed (none listed: every team)."""

    id: str = Field(pattern=r"^monthly-[a-z0-9-]+$")
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    teams: list[str] = []

    def shown_to(self, team: str | None) -> bool:
        return not self.teams or (team is not None and team_key(team) in {team_key(t) for t in self.teams})


class MonthlyScenarios(Strict):
    scenarios: list[MonthlyScenario] = []

    @field_validator("scenarios")
    @classmethod
    def _ids_are_unique(cls, scenarios: list[MonthlyScenario]) -> list[MonthlyScenario]:
        ids = [scenario.id for scenario in scenarios]
        twice = sorted({ident for ident in ids if ids.count(ident) > 1})
        if twice:
            raise ValueError(f"{', '.join(map(repr, twice))} used more than once; each scenario needs its own id")
        return scenarios


def monthly_scenarios(directory: Path = EXERCISES_DIR) -> tuple[MonthlyScenario, ...]:
    """Every monthly scenario written so far; no file means none yet.

    The facilitator adds one a month while the server keeps running between
    weekly slots, so the file is read again whenever it has changed.
    """
    path = Path(directory) / MONTHLY_FILE
    try:
        changed = path.stat().st_mtime_ns
    except FileNotFoundError:
        return ()
    return _read(path, changed)


@cache
def _read(path: Path, _changed: int) -> tuple[MonthlyScenario, ...]:
    raw = read_yaml(path) or {}
    limits = workshop_choices.workshop(path.parent).limits
    return tuple(load_model(MonthlyScenarios, path, workshop_choices.with_limits(path, raw, limits)).scenarios)


def month_of(week: str) -> str:
    """The month an ISO week belongs to: the month of its Thursday, as ISO weeks themselves count."""
    return f"{weeks.monday(week) + timedelta(days=3):%Y-%m}"


def scenario_for(team: str | None, week: str, directory: Path = EXERCISES_DIR) -> MonthlyScenario | None:
    """The scenario this team sees in this week: its own for the month first, else one for every team."""
    month = month_of(week)
    found = [s for s in monthly_scenarios(directory) if s.month == month and s.shown_to(team)]
    return next((s for s in found if s.teams), found[0] if found else None)
