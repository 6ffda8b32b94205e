"""The frame of every weekly card: the entry it shows is the one of the week picked at the top of the page.

Picking a week re-restores the cards, so the same cards fill in this week or
correct any past one; a tag on each says which week it is about.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
from markupsafe import Markup

from extramile.content import weeks
from extramile.content.weekly_text import WeeklyExercise
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import Card
from extramile.participant.cards.lean_widgets import Text


class WeekCard(Card):
    """A card that shows and saves the entry of the week picked on the page."""

    def __init__(self, exercise: WeeklyExercise, book: AnswerBook, week: Callable[[], str],
                 fields: list[w.Widget]) -> None:
        self.week = week
        self.week_tag = Text()
        super().__init__(exercise, book, None, [self.week_tag, *fields])

    def match(self) -> dict:
        return {"week": self.week()}

    def restore(self, *, keep_typed: bool = False, resync: bool = False) -> None:
        self.week_tag.value = Markup('<div class="em-week-tag">{}</div>').format(weeks.span(self.week()))
        super().restore(keep_typed=keep_typed, resync=resync)
