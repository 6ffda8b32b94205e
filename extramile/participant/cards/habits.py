"""The seven everyday habits of the participant's team, each rated never / sometimes / often / always.

Which seven depends on the team (a team that does not sell has no sales
habits), so the rows are laid out again whenever someone of another team
signs in on the page.
"""

from typing import get_args

import ipywidgets as w
from markupsafe import Markup

from extramile import content
from extramile.content import workshop_choices
from extramile.content.answer_models import HabitRatingsAnswer, Rating
from extramile.exceptions import Incomplete
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import Card, paragraph
from extramile.participant.cards.lean_widgets import Column, Text

RATINGS = get_args(Rating)


def team_of(book: AnswerBook) -> str | None:
    return book.participant.team if book.participant else None


class TeamHabits(Card):
    """A card with a row per habit of whoever is signed in; `rows_for` lays the rows out for a team's seven."""

    habits: tuple[workshop_choices.Habit, ...] = ()
    rows: w.VBox

    def rows_for(self, habits: tuple[workshop_choices.Habit, ...]) -> list[w.Widget]:
        raise NotImplementedError

    def restore(self, *, keep_typed: bool = False, resync: bool = False) -> None:
        habits = workshop_choices.habits(team=team_of(self.book))
        if habits != self.habits:
            self.habits = habits
            self.rows.children = self.rows_for(habits)
        super().restore(keep_typed=keep_typed, resync=resync)


class HabitsCard(TeamHabits):
    answer_model = HabitRatingsAnswer

    def __init__(self, exercise: content.HabitCheck, book: AnswerBook, lesson: str | None) -> None:
        self.ratings: dict[str, w.ToggleButtons] = {}
        self.rows = Column(layout=w.Layout(width="100%"))
        super().__init__(exercise, book, lesson, [paragraph(exercise.prompt), self.rows])

    def rows_for(self, habits: tuple[workshop_choices.Habit, ...]) -> list[w.Widget]:
        self.ratings = {h.id: w.ToggleButtons(options=RATINGS, value=None, style={"button_width": "auto"})
                        for h in habits}
        for buttons in self.ratings.values():
            buttons.observe(self._changed, names="value")
        return [Column([Text(Markup("<b>{}</b>").format(h.label)), self.ratings[h.id]]) for h in habits]

    def read(self) -> HabitRatingsAnswer:
        ratings = {hid: button.value for hid, button in self.ratings.items() if button.value}
        if not ratings:
            raise Incomplete("Please rate at least one habit first.")
        return HabitRatingsAnswer(ratings=ratings)

    def fill(self, answer: HabitRatingsAnswer) -> None:
        for hid, button in self.ratings.items():
            button.value = answer.ratings.get(hid)

    def clear(self) -> None:
        for button in self.ratings.values():
            button.value = None
