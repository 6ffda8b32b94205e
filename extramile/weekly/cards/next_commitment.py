"""A new commitment made in the picked week, to be looked back on the week after.

It is the workshop's commitment card, keyed by the week, and its date to
check by starts on the Sunday of the week after: when next week's journal
looks back at it (or a week from today, when filling in a week long past).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from extramile import content
from extramile.content import weekly_text
from extramile.content.answer_models import PlanAnswer
from extramile.content.weekly_text import WeeklyExercise
from extramile.content.weeks import COMMITMENT, monday
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.commitment import CHECK_AFTER, CommitmentCard


def commitment_ideas() -> tuple[str, ...]:
    """The workshop's own commitment ideas (04_commitments.yaml); the team's habits are put first by the card."""
    for notebook in content.load_all().values():
        for exercise in notebook.exercises:
            if exercise.kind == "commitment":
                return tuple(exercise.ideas)
    return ()


class NextCommitmentCard(CommitmentCard):
    """The commitment card, saved for the picked week."""

    answer_model = PlanAnswer

    def __init__(self, text: weekly_text.CommitmentText, book: AnswerBook, week: Callable[[], str],
                 today: Callable[[], date]) -> None:
        self.week = week
        super().__init__(WeeklyExercise(COMMITMENT, text.title, text.prompt, commitment_ideas()), book, None, today)

    def match(self) -> dict:
        return {"week": self.week()}

    def read(self) -> PlanAnswer:
        return PlanAnswer(week=self.week(), **super().read().model_dump())

    def default_check_by(self) -> date:
        return max(monday(self.week()) + timedelta(days=13), self.today() + CHECK_AFTER)
