"""A 1-10 slider with labeled ends: the mindset check and "Am I doing my best?"."""

from __future__ import annotations

import ipywidgets as w

from extramile.content import Scale
from extramile.content.answer_models import ScaleAnswer
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import Card, paragraph
from extramile.participant.cards.lean_widgets import Row

MIDDLE = 5


def scale_between(low: str, high: str) -> tuple[w.IntSlider, w.HBox]:
    """A 1-10 slider starting in the middle, and the row that shows it between its two ends' words."""
    slider = w.IntSlider(value=MIDDLE, min=1, max=10, step=1, continuous_update=False,
                         layout=w.Layout(flex="1 1 12em", min_width="10em"))
    row = Row([paragraph(low, "em-end"), slider, paragraph(high, "em-end")],
              layout=w.Layout(flex_flow="row wrap", align_items="center", width="100%"))
    return slider, row


class ScaleCard(Card):
    answer_model = ScaleAnswer

    def __init__(self, exercise: Scale, book: AnswerBook, lesson: str | None) -> None:
        self.value, ends = scale_between(exercise.low, exercise.high)
        super().__init__(exercise, book, lesson, [paragraph(exercise.prompt), ends])

    def read(self) -> ScaleAnswer:
        return ScaleAnswer(value=self.value.value, measure=self.exercise.measure, moment=self.exercise.moment)

    def fill(self, answer: ScaleAnswer) -> None:
        self.value.value = MIDDLE if answer.value is None else answer.value

    def clear(self) -> None:
        self.value.value = MIDDLE

    def summary(self, answer: ScaleAnswer) -> str:
        return f"{answer.value} of 10"
