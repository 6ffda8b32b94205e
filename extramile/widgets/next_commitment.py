"""A new commitment made in the picked week, to be looked back on the week after.

It is the workshop's commitment card, keyed by the week, and its date to
check by starts on the Sunday of the week after: when next week's journal
looks back at it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from extramile import content, weeks
from extramile.answers import AnswerBook
from extramile.weeks import COMMITMENT
from extramile.widgets.commitment import CommitmentCard
from extramile.widgets.week_card import WeeklyExercise


def commitment_ideas() -> tuple[str, ...]:
    """The workshop's list of commitment ideas (04_commitments.yaml), else the seven habits."""
    for notebook in content.load_all().values():
        for exercise in notebook.exercises:
            if exercise.kind == "commitment":
                return tuple(exercise.ideas)
    return tuple(habit.label for habit in content.habits())


def _check_by_default(week: str) -> date:
    return weeks.monday(week) + timedelta(days=13)


class NextCommitmentCard(CommitmentCard):
    """The commitment card, saved for the picked week."""

    def __init__(self, text: content.CommitmentText, book: AnswerBook, week: Callable[[], str]) -> None:
        self.week = week
        super().__init__(WeeklyExercise(COMMITMENT, text.title, text.prompt, commitment_ideas()), book, None)

    def match(self) -> dict:
        return {"week": self.week()}

    def read(self) -> dict:
        return {"week": self.week(), **super().read()}

    def clear(self) -> None:
        super().clear()
        self.check_by.value = _check_by_default(self.week())
