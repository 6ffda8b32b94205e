"""A customer situation and three or four responses: choose, save, and only then read why.

The feedback opens once a choice is saved, so the room's bars show first
instincts, not the answer the feedback praised: the first choice saved is
kept in every later version of the answer (`first`), whatever is chosen
after. When the facilitator opens a second vote (after the teams have talked
it over), the card says so and the choice saved then is kept as `second`.
A Reset of the exercise starts a new round: an answer saved before it no
longer carries its first instinct into the next one.

The responses appear in an order of their own for each participant, so the
best one cannot be found by its place; the order stays put across reloads,
and the journal keeps the chosen option's id, never its position.
"""

from __future__ import annotations

import hashlib
import random
from typing import Protocol

import ipywidgets as w
from markupsafe import Markup

from extramile import content
from extramile.content.answer_models import ScenarioAnswer
from extramile.exceptions import Incomplete
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import Card, paragraph
from extramile.participant.cards.lean_widgets import Text

FEEDBACK_LOCKED = "Choose the response you would really give and press Save; then you can read why."
SECOND_VOTE = ("Second vote: now that your team has talked it over, which response would you choose? "
               "Choose (the same one or another) and press Save.")
SECOND_VOTE_SAVED = "Your second vote is saved. Your first choice is kept as well."


class Round(Protocol):
    """What a scenario card asks of the room: since when answers count, and whether a second vote is open."""

    def counted_from(self, exercise_id: str) -> str: ...

    def second_vote_open(self, exercise_id: str) -> bool: ...


class NoRoom:
    """A notebook or a hub server: one round, no second vote."""

    def counted_from(self, exercise_id: str) -> str:
        return ""

    def second_vote_open(self, exercise_id: str) -> bool:
        return False


def option_order(exercise: content.Scenario, participant: str | None) -> list[content.Option]:
    """The options shuffled by a seed from the exercise id and the participant's name (none if signed out)."""
    seed = hashlib.sha256(f"{exercise.id}\n{participant or ''}".encode()).digest()
    options = list(exercise.options)
    random.Random(seed).shuffle(options)
    return options


class ScenarioCard(Card):
    answer_model = ScenarioAnswer

    def __init__(self, exercise: content.Scenario, book: AnswerBook, lesson: str | None,
                 room: Round | None = None) -> None:
        self.room = room or NoRoom()
        self.by_id = {option.id: option for option in exercise.options}
        self.choice = w.RadioButtons(options=self._labelled(exercise, book), value=None,
                                     layout=w.Layout(width="100%"))
        self.vote = Text()
        self.feedback = Text()
        super().__init__(exercise, book, lesson, [
            paragraph(exercise.situation, "em-situation"), paragraph(exercise.prompt),
            self.vote, self.choice, self.feedback,
        ])

    @staticmethod
    def _labelled(exercise: content.Scenario, book: AnswerBook) -> list[tuple[str, str]]:
        name = book.participant.name if book.participant else None
        return [(option.text, option.id) for option in option_order(exercise, name)]

    def saved(self, raw: object) -> ScenarioAnswer:
        """Ids throughout, however old the entry (see ScenarioAnswer.decoded)."""
        return ScenarioAnswer.decoded(raw, list(self.by_id), [option.text for option in self.by_id.values()])

    def _this_round(self) -> ScenarioAnswer | None:
        """The saved answer, if it was saved since the exercise's last Reset."""
        entry = self.book.latest(self.exercise.id)
        if entry is None or str(entry.get("at", "")) < self.room.counted_from(self.exercise.id):
            return None
        return self.saved(entry.get("answer"))

    def follow_room(self) -> None:
        """The facilitator opened a second vote or reset the exercise: say what it means for this card."""
        answer = self._this_round()
        if not self.room.second_vote_open(self.exercise.id):
            self.vote.value = ""
        else:
            voted = answer is not None and answer.second is not None
            self.vote.value = Markup('<p class="em-vote {}">{}</p>').format(
                "em-vote-done" if voted else "", SECOND_VOTE_SAVED if voted else SECOND_VOTE)
        self._explain(self.by_id.get(answer.option) if answer and answer.option else None)

    def _explain(self, saved: content.Option | None) -> None:
        """The feedback on the saved choice; before a choice is saved, only a word on how to open it."""
        if saved is None:
            self.feedback.value = Markup('<p class="em-hint">{}</p>').format(FEEDBACK_LOCKED)
            return
        self.feedback.value = Markup('<div class="em-feedback"><p class="em-label">About the response you saved: '
                                     '{}</p>{}</div>').format(saved.text, saved.feedback)

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
        self.follow_room()

    def save(self) -> dict | None:
        entry = super().save()
        if entry is not None:
            self.follow_room()
        return entry

    def summary(self, answer: ScenarioAnswer) -> str:
        return self.by_id[answer.option].text if answer.option else ""

    def read(self) -> ScenarioAnswer:
        if self.choice.value is None:
            raise Incomplete("Please choose one of the responses first.")
        earlier = self._this_round() or ScenarioAnswer()
        second = self.choice.value if self.room.second_vote_open(self.exercise.id) else earlier.second
        return ScenarioAnswer(option=self.choice.value, first=earlier.first or self.choice.value, second=second)

    def fill(self, answer: ScenarioAnswer) -> None:
        self.choice.value = answer.option

    def clear(self) -> None:
        self.choice.value = None
