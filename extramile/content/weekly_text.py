"""Every word on the weekly journal page (exercises/weekly_journal.yaml), checked against a schema on load.

The page's exercise ids and answer shapes are fixed by the journal format
(extramile/content/weeks.py), so only words live here: the titles and prompts, the
eight weeks of story prompts and team questions that rotate, and the length
of the team's weekly slot that the facilitator guide repeats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from extramile.content import weeks
from extramile.content.content_files import EXERCISES_DIR, Source, Strict, load_model, read_yaml

WEEKLY_NOTEBOOK = "weekly_journal"
ROTATION_WEEKS = 8
ROTATION_START = date(2024, 1, 1)  # a Monday: every team in the company sees the same prompt in the same week


class WeekPickerText(Strict):
    title: str
    prompt: str
    filled: str


class TextPart(Strict):
    label: str
    placeholder: str = ""


class StoryText(Strict):
    """Recognize it, document it, learn from it: the three parts of a week's story."""

    title: str
    prompt: str
    happened: TextPart
    did: TextPart
    learned: TextPart


class WeekTheme(Strict):
    """One week of the rotation: what the story asks about, and the question the team talks over together."""

    title: str
    prompt: str
    team_question: str


class HabitsText(Strict):
    title: str
    prompt: str
    tick: str


class ScaleEnds(Strict):
    label: str
    low: str
    high: str


class CheckinText(Strict):
    title: str
    prompt: str
    privacy: str
    best: ScaleEnds
    mindset: ScaleEnds


class ReviewStatuses(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    kept: str
    partly: str
    not_yet: str = Field(alias="not-yet")


class ReviewText(Strict):
    title: str
    prompt: str
    workshop: str
    last_week: str
    check_by: str
    statuses: ReviewStatuses
    empty: str


class CommitmentText(Strict):
    title: str
    prompt: str


class Counted(Strict):
    """What follows a number: `one` after 1, `other` after any other number."""

    one: str
    other: str

    def of(self, number: int) -> str:
        return self.one if number == 1 else self.other


class TrendsText(Strict):
    title: str
    stories: Counted
    streak: Counted
    best: str
    mindset: str
    average_note: str
    habits: str
    habits_note: str
    empty: str


class TeamText(Strict):
    title: str
    question: str
    monthly: str
    prompt: str
    empty: str
    signed_out: str


class ExportText(Strict):
    title: str
    prompt: str
    button: str
    markdown: str
    page: str
    empty: str


class TeamSlot(Strict):
    """The team's weekly slot: minutes to write alone, then minutes together on the stories and the question."""

    write: int = Field(gt=0, le=60)
    together: int = Field(gt=0, le=60)

    @property
    def minutes(self) -> int:
        return self.write + self.together


class WeeklyJournalContent(Strict):
    """Every word on the weekly journal page; its exercise ids are fixed by the journal format."""

    notebook: Literal["weekly_journal"]
    title: str
    minutes: int = Field(gt=0)
    slot: TeamSlot
    sources: list[Source] = []
    story: str = ""
    point: str = ""
    week: WeekPickerText
    extra_mile_story: StoryText
    rotation: list[WeekTheme] = Field(min_length=ROTATION_WEEKS, max_length=ROTATION_WEEKS)
    habits: HabitsText
    checkin: CheckinText
    review: ReviewText
    commitment: CommitmentText
    trends: TrendsText
    team: TeamText
    export: ExportText

    @field_validator("rotation")
    @classmethod
    def _each_week_differs(cls, rotation: list[WeekTheme]) -> list[WeekTheme]:
        for field in ("title", "prompt", "team_question"):
            said = [getattr(theme, field) for theme in rotation]
            if len(set(said)) < len(said):
                raise ValueError(f"two weeks share a {field}; each of the {ROTATION_WEEKS} weeks needs its own")
        return rotation

    @model_validator(mode="after")
    def _minutes_are_the_slot(self) -> WeeklyJournalContent:
        if self.minutes != self.slot.minutes:
            raise ValueError(f"'minutes' is {self.minutes} but the slot is {self.slot.write} + "
                             f"{self.slot.together} = {self.slot.minutes}: say the same length everywhere")
        return self

    def theme_of(self, week: str) -> WeekTheme:
        """The week's story prompt and team question: eight in turn, the same for everyone in a given week."""
        return self.rotation[(weeks.monday(week) - ROTATION_START).days // 7 % len(self.rotation)]


@cache
def weekly_journal(directory: Path = EXERCISES_DIR) -> WeeklyJournalContent:
    """The weekly journal page's words, from weekly_journal.yaml (not a lesson: the lessons' loader skips it)."""
    path = Path(directory) / f"{WEEKLY_NOTEBOOK}.yaml"
    return load_model(WeeklyJournalContent, path, read_yaml(path))


@dataclass(frozen=True)
class WeeklyExercise:
    """What a Card needs of a weekly exercise: its fixed id and its title (and, for commitments, ideas)."""

    id: str
    title: str
    prompt: str = ""
    ideas: tuple[str, ...] = ()
