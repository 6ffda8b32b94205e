"""The seven everyday habits, each rated never / sometimes / often / always."""

import ipywidgets as w
from markupsafe import Markup

from extramile import content
from extramile.answers import AnswerBook
from extramile.exceptions import Incomplete
from extramile.widgets.card import Card, paragraph

RATINGS = ("never", "sometimes", "often", "always")


class HabitsCard(Card):
    def __init__(self, exercise: content.HabitCheck, book: AnswerBook, lesson: str | None) -> None:
        self.habits = content.habits()
        self.ratings = {h.id: w.ToggleButtons(options=RATINGS, value=None, style={"button_width": "auto"})
                        for h in self.habits}
        rows = [w.VBox([w.HTML(Markup("<b>{}</b>").format(h.label)), self.ratings[h.id]]) for h in self.habits]
        super().__init__(exercise, book, lesson, [paragraph(exercise.prompt), *rows])

    def read(self) -> dict:
        ratings = {hid: button.value for hid, button in self.ratings.items() if button.value}
        if not ratings:
            raise Incomplete("Please rate at least one habit first.")
        return {"ratings": ratings}

    def fill(self, answer: dict) -> None:
        saved = answer.get("ratings", {})
        for hid, button in self.ratings.items():
            button.value = saved.get(hid) if saved.get(hid) in RATINGS else None

    def clear(self) -> None:
        for button in self.ratings.values():
            button.value = None
