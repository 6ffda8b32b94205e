"""A paired role-play: each partner opens only their own card, plays it out loud, then reflects in writing.

The cards stay closed until a role is picked, so the customer does not read
what the staff member knows, and the reverse; after the round, partners swap.
Only the reflection is saved: the conversation itself is spoken, not typed.
"""

import ipywidgets as w
from markupsafe import Markup

from extramile import content
from extramile.answers import AnswerBook
from extramile.widgets.card import Card, checked_text, paragraph, text_area

ROLES = (("I play the customer", "customer"), ("I play the staff member", "staff"))
CARD_LINES = (("knows", "What you know"), ("wants", "What you want"), ("feels", "How you feel"))


def role_card(exercise: content.Roleplay, role: str) -> Markup:
    """One side of the card as HTML: what this role knows, wants and feels."""
    side = getattr(exercise, role)
    row = Markup("<dt><b>{}</b></dt><dd>{}</dd>")
    rows = Markup("").join(row.format(label, getattr(side, field)) for field, label in CARD_LINES)
    return Markup('<dl class="em-role em-role-{}">{}</dl>').format(role, rows)


class RoleplayCard(Card):
    shareable = True

    def __init__(self, exercise: content.Roleplay, book: AnswerBook, lesson: str | None) -> None:
        self.role = w.ToggleButtons(options=ROLES, value=None, style={"button_width": "auto"})
        self.card = w.HTML()
        self.role.observe(self._show_card, names="value")
        self.text = text_area(exercise.placeholder, rows=4)
        super().__init__(exercise, book, lesson, [
            paragraph(exercise.situation, "em-situation"),
            paragraph(f"{exercise.prompt} (About {exercise.minutes} minutes a round.)"),
            self.role, self.card,
            paragraph(exercise.reflection, "em-label"), self.text,
        ])

    def _show_card(self, _change: dict | None = None) -> None:
        self.card.value = "" if self.role.value is None else role_card(self.exercise, self.role.value)

    def read(self) -> dict:
        return {"text": checked_text(self.text.value, "your reflection")}

    def fill(self, answer: dict) -> None:
        self.text.value = answer.get("text", "")

    def clear(self) -> None:
        self.text.value = ""
