"""One habit or idea, a concrete action, and a date to check it by: what the weekly journal follows up."""

from datetime import date, timedelta

import ipywidgets as w

from extramile import content
from extramile.answers import AnswerBook
from extramile.exceptions import Incomplete
from extramile.widgets.card import Card, checked_text, paragraph, text_area
from extramile.widgets.week_card import WeeklyExercise

CHECK_AFTER = timedelta(days=7)


class CommitmentCard(Card):
    kind = "commitment"
    shareable = True

    def __init__(self, exercise: content.Commitment | WeeklyExercise, book: AnswerBook, lesson: str | None) -> None:
        ideas = content.commitment_ideas(exercise)
        self.idea = w.Dropdown(options=ideas, value=ideas[0], description="Idea",
                               layout=w.Layout(width="100%"))
        self.action = text_area("The concrete thing I will do, and for whom", rows=3)
        self.check_by = w.DatePicker(value=date.today() + CHECK_AFTER, description="Check by")
        super().__init__(exercise, book, lesson, [
            paragraph(exercise.prompt), self.idea, paragraph("My action", "em-label"), self.action,
            self.check_by,
        ])

    def read(self) -> dict:
        if self.check_by.value is None:
            raise Incomplete("Please pick a date to check your commitment by.")
        return {"idea": self.idea.value, "action": checked_text(self.action.value, "your action"),
                "check_by": self.check_by.value.isoformat()}

    def fill(self, answer: dict) -> None:
        if answer.get("idea") in self.idea.options:
            self.idea.value = answer["idea"]
        self.action.value = answer.get("action", "")
        try:
            self.check_by.value = date.fromisoformat(answer.get("check_by", ""))
        except (TypeError, ValueError):
            self.check_by.value = date.today() + CHECK_AFTER

    def clear(self) -> None:
        self.idea.value = self.idea.options[0]
        self.action.value = ""
        self.check_by.value = date.today() + CHECK_AFTER
