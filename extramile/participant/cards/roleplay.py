"""A role-play in pairs, or a trio with an observer: each opens only their own card, plays it out loud, then reflects.

The cards stay closed until a role is picked, so the customer does not read
what the staff member knows, and the reverse; after the round, partners swap
and take a minute to read their new card. A trio's third person watches for
three things and tells the others what they saw. Only the reflection, and the
role it was written from, is saved: the conversation itself is spoken, not
typed. The role comes back with the reflection after a reload.
"""

import ipywidgets as w
from markupsafe import Markup

from extramile import content
from extramile.content.answer_models import RoleplayAnswer
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import Card, checked_text, paragraph, text_area
from extramile.participant.cards.lean_widgets import Text

ROLES = (("I play the customer", "customer"), ("I play the staff member", "staff"), ("I observe", "observer"))
CARD_LINES = (("knows", "What you know"), ("wants", "What you want"), ("feels", "How you feel"))
OBSERVER_INTRO = "You are the observer. Watch for three things, in both rounds:"
OBSERVER_AFTER = "After each round, tell the staff member one thing that worked before anything else."


def timing(exercise: content.Roleplay) -> str:
    """How long each step takes, including the time to read the new card after the swap."""
    read = "a minute" if exercise.read_minutes == 1 else f"{exercise.read_minutes} minutes"
    return (f"{read.capitalize()} to read your card, then {exercise.minutes} minutes a round. At the swap, take "
            f"{'another minute' if exercise.read_minutes == 1 else read} to read your new card before you start.")


def _variant(exercise: content.Roleplay, role: str) -> Markup:
    """The second round's twist: each player reads their own side of it; the observer, only its name."""
    variant = exercise.variant
    if variant is None:
        return Markup("")
    if role == "observer":
        return Markup('<div class="em-variant"><b>{}</b></div>').format(variant.title)
    return Markup('<div class="em-variant"><b>{}</b><div>{}</div></div>').format(variant.title,
                                                                                 getattr(variant, role))


def role_card(exercise: content.Roleplay, role: str) -> Markup:
    """One side of the card as HTML: what this role knows, wants and feels, or what the observer watches for."""
    if role == "observer":
        items = Markup("").join(Markup("<li>{}</li>").format(thing) for thing in exercise.observer)
        return Markup('<div class="em-role em-role-observer"><p>{}</p><ol>{}</ol><p>{}</p>{}</div>').format(
            OBSERVER_INTRO, items, OBSERVER_AFTER, _variant(exercise, role))
    side = getattr(exercise, role)
    row = Markup("<dt><b>{}</b></dt><dd>{}</dd>")
    rows = Markup("").join(row.format(label, getattr(side, field)) for field, label in CARD_LINES)
    return Markup('<div class="em-role em-role-{}"><dl>{}</dl>{}</div>').format(role, rows, _variant(exercise, role))


class RoleplayCard(Card):
    answer_model = RoleplayAnswer
    shareable = True

    def __init__(self, exercise: content.Roleplay, book: AnswerBook, lesson: str | None) -> None:
        self.role = w.ToggleButtons(options=ROLES, value=None, style={"button_width": "auto"})
        self.card = Text()
        self.role.observe(self._show_card, names="value")
        self.text = text_area(exercise.placeholder, rows=4)
        super().__init__(exercise, book, lesson, [
            paragraph(exercise.situation, "em-situation"),
            paragraph(f"{exercise.prompt} ({timing(exercise)})"),
            self.role, self.card,
            paragraph(exercise.reflection, "em-label"), self.text,
        ])
        self.add_class("em-roleplay")

    def _show_card(self, _change: dict | None = None) -> None:
        self.card.value = "" if self.role.value is None else role_card(self.exercise, self.role.value)

    def read(self) -> RoleplayAnswer:
        return RoleplayAnswer(text=checked_text(self.text.value, "your reflection"), role=self.role.value)

    def fill(self, answer: RoleplayAnswer) -> None:
        self.text.value = answer.text
        self.role.value = answer.role

    def clear(self) -> None:
        self.text.value = ""
        self.role.value = None
