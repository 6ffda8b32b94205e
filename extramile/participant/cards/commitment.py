"""One habit or idea, a concrete action, and a date to check it by: what the weekly journal follows up.

The ideas start with the habits of the participant's team, so they are
offered again whenever someone of another team signs in. A date to check by
must be today or later: a commitment due yesterday can never be kept. The
picker itself sets no minimum, because ipywidgets would quietly move an
earlier date to today; a past date is refused at Save, with a sentence.
"""

from collections.abc import Callable
from datetime import date, timedelta

import ipywidgets as w

from extramile import content
from extramile.content import weeks
from extramile.content.answer_models import CommitmentAnswer, PlanAnswer
from extramile.content.weekly_text import WeeklyExercise
from extramile.exceptions import Incomplete
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import Card, checked_text, paragraph, text_area
from extramile.participant.cards.habits import team_of

CHECK_AFTER = timedelta(days=7)


class CommitmentCard(Card):
    answer_model = CommitmentAnswer
    shareable = True

    def __init__(self, exercise: content.Commitment | WeeklyExercise, book: AnswerBook, lesson: str | None,
                 today: Callable[[], date] = date.today) -> None:
        self.today = today
        ideas = content.commitment_ideas(exercise)
        (_, idea), (_, action) = CommitmentAnswer.words()
        self.idea = w.Dropdown(options=ideas, value=ideas[0], description=idea, layout=w.Layout(width="100%"))
        self.action = text_area("The concrete thing I will do, and for whom", rows=3)
        self.check_by = w.DatePicker(value=today() + CHECK_AFTER, description="Check by")
        super().__init__(exercise, book, lesson, [
            paragraph(exercise.prompt), self.idea, paragraph(action, "em-label"), self.action,
            self.check_by,
        ])

    def restore(self, *, keep_typed: bool = False, resync: bool = False) -> None:
        ideas = content.commitment_ideas(self.exercise, team=team_of(self.book))
        if tuple(self.idea.options) != ideas:
            self.idea.options = ideas
            self.idea.value = ideas[0]
        super().restore(keep_typed=keep_typed, resync=resync)

    def default_check_by(self) -> date:
        return self.today() + CHECK_AFTER

    def read(self) -> CommitmentAnswer:
        due = self.check_by.value
        if due is None:
            raise Incomplete("Please pick a date to check your commitment by.")
        if due < self.today():
            raise Incomplete(f"{weeks.human_date(due)} has already passed: please pick a date to check your "
                             "commitment by from today on.")
        return CommitmentAnswer(idea=self.idea.value, action=checked_text(self.action.value, "your action"),
                                check_by=due.isoformat())

    def fill(self, answer: CommitmentAnswer | PlanAnswer) -> None:
        if answer.idea in self.idea.options:
            self.idea.value = answer.idea
        self.action.value = answer.action
        try:
            self.check_by.value = date.fromisoformat(answer.check_by or "")
        except ValueError:
            self.check_by.value = self.default_check_by()

    def clear(self) -> None:
        self.idea.value = self.idea.options[0]
        self.action.value = ""
        self.check_by.value = self.default_check_by()
