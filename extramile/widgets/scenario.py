"""A customer situation and three or four responses; the choice brings feedback that explains why.

The responses appear in an order of their own for each participant, so the
best one cannot be found by its place; the order stays put across reloads,
and the journal keeps the chosen option's id, never its position.
"""

import hashlib
import random

import ipywidgets as w
from markupsafe import Markup

from extramile import content
from extramile.answers import AnswerBook
from extramile.exceptions import Incomplete
from extramile.widgets.card import Card, paragraph


def option_order(exercise: content.Scenario, participant: str | None) -> list[content.Option]:
    """The options shuffled by a seed from the exercise id and the participant's name (none if signed out)."""
    seed = hashlib.sha256(f"{exercise.id}\n{participant or ''}".encode()).digest()
    options = list(exercise.options)
    random.Random(seed).shuffle(options)
    return options


class ScenarioCard(Card):
    def __init__(self, exercise: content.Scenario, book: AnswerBook, lesson: str | None) -> None:
        self.by_id = {option.id: option for option in exercise.options}
        self.choice = w.RadioButtons(options=self._labelled(exercise, book), value=None,
                                     layout=w.Layout(width="100%"))
        self.feedback = w.HTML()
        self.choice.observe(self._explain, names="value")
        super().__init__(exercise, book, lesson, [
            paragraph(exercise.situation, "em-situation"), paragraph(exercise.prompt),
            self.choice, self.feedback,
        ])

    @staticmethod
    def _labelled(exercise: content.Scenario, book: AnswerBook) -> list[tuple[str, str]]:
        name = book.participant.name if book.participant else None
        return [(option.text, option.id) for option in option_order(exercise, name)]

    def _explain(self, _change: dict | None = None) -> None:
        option = self.by_id.get(self.choice.value)
        self.feedback.value = "" if option is None else (
            Markup('<div class="em-feedback">{}</div>').format(option.feedback))

    def restore(self, *, keep_typed: bool = False, resync: bool = False) -> None:
        """Order the options for whoever is signed in now (a choice made meanwhile stays), then show their answer."""
        labelled = self._labelled(self.exercise, self.book)
        if list(self.choice.options) != labelled:
            chosen, self._filling = self.choice.value, True
            try:
                self.choice.options = labelled
                self.choice.value = chosen
            finally:
                self._filling = False
        super().restore(keep_typed=keep_typed, resync=resync)

    def summary(self, answer: dict) -> str:
        chosen = self.exercise.chosen(answer)
        return chosen.text if chosen else ""

    def read(self) -> dict:
        if self.choice.value is None:
            raise Incomplete("Please choose one of the responses first.")
        return {"option": self.choice.value}

    def fill(self, answer: dict) -> None:
        chosen = self.exercise.chosen(answer)
        self.choice.value = chosen.id if chosen else None

    def clear(self) -> None:
        self.choice.value = None

