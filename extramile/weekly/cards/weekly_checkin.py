"""'Am I doing my best?' and the mindset check, 1-10, for the week: the lessons' scale, asked weekly."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from extramile.content import weekly_text
from extramile.content.answer_models import CheckinAnswer
from extramile.content.weekly_text import WeeklyExercise
from extramile.content.weeks import CHECKIN
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import paragraph
from extramile.participant.cards.lean_widgets import Column
from extramile.participant.cards.scale import MIDDLE, scale_between
from extramile.weekly.cards.week_card import WeekCard


def _labelled_scale(ends: weekly_text.ScaleEnds) -> tuple[w.IntSlider, w.VBox]:
    slider, row = scale_between(ends.low, ends.high)
    return slider, Column([paragraph(ends.label, "em-label"), row], layout=w.Layout(width="100%"))


class CheckinCard(WeekCard):
    """Two sliders saved together as one check-in for the picked week."""

    answer_model = CheckinAnswer

    def __init__(self, text: weekly_text.CheckinText, book: AnswerBook, week: Callable[[], str]) -> None:
        self.best, best_row = _labelled_scale(text.best)
        self.mindset, mindset_row = _labelled_scale(text.mindset)
        super().__init__(WeeklyExercise(CHECKIN, text.title), book, week,
                         [paragraph(text.prompt), best_row, mindset_row, paragraph(text.privacy, "em-hint")])

    def read(self) -> CheckinAnswer:
        return CheckinAnswer(week=self.week(), best=self.best.value, mindset=self.mindset.value)

    def fill(self, answer: CheckinAnswer) -> None:
        for slider, value in ((self.best, answer.best), (self.mindset, answer.mindset)):
            slider.value = MIDDLE if value is None else value

    def clear(self) -> None:
        self.best.value = self.mindset.value = MIDDLE
