"""The facilitator's choices (workshop.yaml) over habits.yaml: which habits each team tracks; the limits card.

A habit swap changes the lesson's habit check, the weekly journal, the
commitment ideas and the report alike, so every one of them asks `habits()`
here. The limits card says what staff may give without asking; the lessons
quote it wherever they name a limit (`{refund}` in a staff card), so a
company that changes its limits changes every card that mentions one.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from extramile.content.content_files import EXERCISES_DIR, Strict, load_model, problem_at, read_yaml
from extramile.exceptions import ContentError
from extramile.identity.teams import team_key

WORKSHOP_FILE = "workshop.yaml"
MAX_HABIT_SWAPS = 3  # for the room, and for a team that sells; a team that does not sell may swap any


class Habit(Strict):
    """An everyday habit; `weekly` says how the weekly journal records it.

    A `sales` habit makes sense only for people who sell; `instead` names the
    alternative a team that does not sell tracks in its place.
    """

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    label: str
    weekly: Literal["count", "tick"]
    weekly_prompt: str
    sales: bool = False
    instead: str | None = None


class HabitList(Strict):
    """The article's seven habits, and the role-appropriate ones a facilitator may swap in."""

    habits: list[Habit] = Field(min_length=7, max_length=7)
    alternatives: list[Habit] = []


class TeamChoices(Strict):
    """One team's own habits: `sells: false` swaps out every sales habit, and lifts the cap on swaps."""

    sells: bool = True
    habit_swaps: dict[str, str] = {}

    @model_validator(mode="after")
    def _a_selling_team_keeps_most_of_the_seven(self) -> TeamChoices:
        if self.sells and len(self.habit_swaps) > MAX_HABIT_SWAPS:
            raise ValueError(f"a team that sells may swap up to {MAX_HABIT_SWAPS} habits; write 'sells: false' "
                             "for a team that does not sell, which may swap any of them")
        return self


def _money(currency: str, amount: int) -> str:
    return f"{currency}{amount:,}"


class Limits(Strict):
    """The limits card: what any member of staff may give a customer without asking anyone."""

    currency: str = Field("$", min_length=1, max_length=4)
    refund: int = Field(50, ge=0, le=1_000_000)
    free_job_minutes: int = Field(15, ge=0, le=480)
    fee_waiver: int = Field(30, ge=0, le=1_000_000)
    extra_minutes: int = Field(10, ge=0, le=240)
    ask: str = Field("your team leader", min_length=1, max_length=80)

    def phrases(self) -> dict[str, str]:
        """What `{refund}`, `{free_job}`, `{fee}`, `{extra_time}`, `{ask}` and `{limits}` say in the lessons."""
        said = {
            "refund": f"refund up to {_money(self.currency, self.refund)}" if self.refund else "refund nothing",
            "free_job": (f"do a small job of up to {self.free_job_minutes} minutes free of charge"
                         if self.free_job_minutes else "do no unpaid work"),
            "fee": f"waive a fee of up to {_money(self.currency, self.fee_waiver)}" if self.fee_waiver
            else "waive no fee",
            "extra_time": (f"spend up to {self.extra_minutes} extra minutes with one customer"
                           if self.extra_minutes else "spend no extra time with one customer"),
            "ask": self.ask,
        }
        card = [said[name] for name in ("refund", "free_job", "fee", "extra_time")]
        said["limits"] = "\n".join(f"- {line}" for line in card)
        return said


class Workshop(Strict):
    """workshop.yaml: swaps for the whole room, each team's own, and the limits card."""

    habit_swaps: dict[str, str] = Field(default={}, max_length=MAX_HABIT_SWAPS)
    teams: dict[str, TeamChoices] = {}
    limits: Limits = Limits()

    @field_validator("teams")
    @classmethod
    def _one_entry_per_team(cls, teams: dict[str, TeamChoices]) -> dict[str, TeamChoices]:
        keys = [team_key(name) for name in teams]
        twice = sorted({name for name in teams if keys.count(team_key(name)) > 1})
        if twice:
            raise ValueError(f"{', '.join(map(repr, twice))} are one team written twice; keep one")
        return teams

    def team(self, name: str | None) -> tuple[str, TeamChoices] | None:
        """This team's entry and its spelling in the file, however the participant spelled the team."""
        if not name:
            return None
        key = team_key(name)
        return next(((spelled, choices) for spelled, choices in self.teams.items() if team_key(spelled) == key),
                    None)


@cache
def habit_list(directory: Path = EXERCISES_DIR) -> HabitList:
    """Everything in habits.yaml, before any swaps."""
    path = Path(directory) / "habits.yaml"
    listed = load_model(HabitList, path, read_yaml(path))
    ids = [habit.id for habit in listed.habits + listed.alternatives]
    twice = sorted({ident for ident in ids if ids.count(ident) > 1})
    if twice:
        raise ContentError(f"{path.name}: field 'id': {', '.join(map(repr, twice))} used more than once.")
    spare = {habit.id for habit in listed.alternatives}
    for habit in listed.habits + listed.alternatives:
        if habit.sales and habit.instead not in spare:
            raise ContentError(f"{path.name}: habit {habit.id!r}, field 'instead': a sales habit needs the id of "
                               f"one of the alternatives ({', '.join(sorted(spare))}) for teams that do not sell.")
        if not habit.sales and habit.instead is not None:
            raise ContentError(f"{path.name}: habit {habit.id!r}, field 'instead': only a habit marked "
                               "'sales: true' is replaced for teams that do not sell.")
    return listed


def _resolved(listed: HabitList, room: dict[str, str], team: TeamChoices | None, field: str) -> tuple[Habit, ...]:
    """The seven after swaps, or ContentError naming the field in workshop.yaml to fix."""
    seven = {habit.id: habit for habit in listed.habits}
    alternatives = {habit.id: habit for habit in listed.alternatives}
    swaps = dict(room)
    if team is not None:
        swaps.update(team.habit_swaps)
        if not team.sells:
            swaps.update({habit.id: habit.instead for habit in listed.habits if habit.sales and habit.id not in swaps})
    problems = [f"{old!r} is not one of the seven habits ({', '.join(seven)})" for old in swaps if old not in seven]
    problems += [f"{new!r} is not in the alternatives of habits.yaml ({', '.join(alternatives) or 'none'})"
                 for new in swaps.values() if new not in alternatives]
    for new in sorted(set(swaps.values())):
        replaced = sorted(old for old in swaps if swaps[old] == new)
        if len(replaced) > 1:
            problems.append(f"{new!r} would be tracked twice (in place of {' and '.join(replaced)}; "
                            "a sales habit's 'instead' counts as a swap)")
    if problems:
        raise ContentError(f"{WORKSHOP_FILE}: field {field!r}: " + "; ".join(problems) + ".")
    return tuple(alternatives[swaps[habit.id]] if habit.id in swaps else habit for habit in listed.habits)


@cache
def workshop(directory: Path = EXERCISES_DIR) -> Workshop:
    """This workshop's choices, every team's checked; no workshop.yaml means none (the article's seven habits)."""
    path = Path(directory) / WORKSHOP_FILE
    if not path.exists():
        return Workshop()
    chosen = load_model(Workshop, path, read_yaml(path) or {})
    listed = habit_list(directory)
    _resolved(listed, chosen.habit_swaps, None, "habit_swaps")
    for name, team in chosen.teams.items():
        _resolved(listed, chosen.habit_swaps, team, f"teams.{name}.habit_swaps")
    return chosen


def habits(directory: Path = EXERCISES_DIR, team: str | None = None) -> tuple[Habit, ...]:
    """The seven habits a team tracks: the article's, with the room's and then the team's swaps in their places.

    The lesson's habit check, the weekly journal, the commitment ideas and the
    summary all ask here, so a swap changes every page and the report alike.
    """
    chosen = workshop(directory)
    found = chosen.team(team)
    return _team_habits(Path(directory), found[0] if found else None)


@cache
def _team_habits(directory: Path, spelled: str | None) -> tuple[Habit, ...]:
    chosen = workshop(directory)
    team = chosen.teams[spelled] if spelled is not None else None
    field = f"teams.{spelled}.habit_swaps" if spelled is not None else "habit_swaps"
    return _resolved(habit_list(directory), chosen.habit_swaps, team, field)


def every_habit(directory: Path = EXERCISES_DIR) -> tuple[Habit, ...]:
    """Every habit some team of this workshop tracks: the room's seven first, then the teams' own, once each."""
    found = {habit.id: habit for habit in habits(directory)}
    for name in workshop(directory).teams:
        for habit in habits(directory, name):
            found.setdefault(habit.id, habit)
    return tuple(found.values())


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def quote_limits(text: str, limits: Limits) -> str:
    """The text with each `{name}` replaced by what the limits card says; ValueError naming an unknown one."""
    said = limits.phrases()

    def phrase(match: re.Match) -> str:
        if match[1] not in said:
            raise ValueError(f"{{{match[1]}}} is not on the limits card; write one of "
                             + ", ".join(f"{{{name}}}" for name in said))
        return said[match[1]]
    return _PLACEHOLDER.sub(phrase, text)


def with_limits(path: Path, raw: object, limits: Limits) -> object:
    """A content file's data with the limits card quoted in every string; ContentError naming an unknown limit."""
    def quoted(value: object, loc: list) -> object:
        if isinstance(value, str):
            try:
                return quote_limits(value, limits)
            except ValueError as exc:
                raise ContentError(problem_at(path, raw, loc, str(exc))) from None
        if isinstance(value, dict):
            return {key: quoted(item, [*loc, key]) for key, item in value.items()}
        if isinstance(value, list):
            return [quoted(item, [*loc, index]) for index, item in enumerate(value)]
        return value
    return quoted(raw, [])
