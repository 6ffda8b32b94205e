"""One earlier commitment shown back, answered kept / partly / not yet for the picked week.

The review is saved against the commitment's id and the week, so a
commitment kept in one week is not asked about again (see
`commitments_to_review`), and an edited commitment is asked about afresh.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
from markupsafe import Markup

from extramile.content import weekly_text, weeks
from extramile.content.answer_models import CommitmentAnswer, ReviewAnswer
from extramile.content.weekly_text import WeeklyExercise
from extramile.content.weeks import REVIEW
from extramile.exceptions import Incomplete
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import Card, paragraph
from extramile.participant.cards.lean_widgets import Text


def commitment_html(raw: dict, check_by: str) -> Markup:
    """A commitment as the review shows it back: idea, action, date."""
    answer = CommitmentAnswer.read(raw)
    parts = []
    if answer.idea.strip():
        parts.append(Markup('<div class="em-commitment-idea">{}</div>').format(answer.idea))
    if answer.action.strip():
        parts.append(Markup('<div class="em-prompt">{}</div>').format(answer.action))
    if answer.check_by:
        parts.append(Markup('<div class="em-hint">{} {}</div>').format(check_by, weeks.readable_date(answer.check_by)))
    return Markup('<div class="em-commitment">{}</div>').format(Markup("").join(parts))


class ReviewCard(Card):
    """Kept, partly or not yet: one choice, saved for the picked week."""

    answer_model = ReviewAnswer

    def __init__(self, text: weekly_text.ReviewText, book: AnswerBook, week: Callable[[], str], commitment: dict,
                 heading: str) -> None:
        self.week = week
        self.commitment = commitment
        statuses = text.statuses
        self.names = {"kept": statuses.kept, "partly": statuses.partly, "not-yet": statuses.not_yet}
        self.choice = w.ToggleButtons(options=[(label, value) for value, label in self.names.items()],
                                      value=None, style={"button_width": "auto"})
        about = Text(commitment_html(commitment["answer"], text.check_by))
        super().__init__(WeeklyExercise(REVIEW, heading), book, None,
                         [about, paragraph(text.prompt, "em-label"), self.choice])
        self.add_class("em-review")

    def match(self) -> dict:
        return {"week": self.week(), "commitment": self.commitment["id"]}

    def read(self) -> ReviewAnswer:
        if self.choice.value is None:
            raise Incomplete(f"Please choose {', '.join(self.names.values())} first.")
        return ReviewAnswer(week=self.week(), commitment=self.commitment["id"], status=self.choice.value)

    def fill(self, answer: ReviewAnswer) -> None:
        self.choice.value = answer.status

    def clear(self) -> None:
        self.choice.value = None
