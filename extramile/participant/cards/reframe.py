"""Something went wrong: the two questions that turn it round, asked in order.

A short model answer ("One way to see it") opens only once the participant's
own answer is saved, so they think first and compare after.
"""

import ipywidgets as w
from markupsafe import Markup

from extramile import content
from extramile.content.answer_models import ReframeAnswer
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import Card, checked_text, paragraph, text_area
from extramile.participant.cards.lean_widgets import Button, Row, Text

OPPORTUNITY, HELP = (label for _field, label in ReframeAnswer.words())
SHOW_MODEL = "One way to see it"
HIDE_MODEL = "Hide it again"
MODEL_LOCKED = "Save your own answer first; then you can compare it with one way to see it."


class ReframeCard(Card):
    answer_model = ReframeAnswer
    shareable = True

    def __init__(self, exercise: content.Reframe, book: AnswerBook, lesson: str | None) -> None:
        self.opportunity = text_area(rows=3)
        self.help = text_area(rows=3)
        self.model_button = Button(description=SHOW_MODEL, icon="lightbulb-o", disabled=True)
        self.model_hint = paragraph(MODEL_LOCKED, "em-hint", layout=w.Layout())
        self.model = Text(layout=w.Layout(display="none"))
        self.model_button.on_click(lambda _button: self._toggle_model())
        super().__init__(exercise, book, lesson, [
            paragraph(exercise.situation, "em-situation"), paragraph(exercise.prompt),
            paragraph(OPPORTUNITY, "em-label"), self.opportunity,
            paragraph(HELP, "em-label"), self.help,
        ])
        self.children = (*self.children, Row([self.model_button, self.model_hint],
                                             layout=w.Layout(flex_flow="row wrap", align_items="center")),
                         self.model)

    @property
    def model_shown(self) -> bool:
        return self.model.layout.display != "none"

    def _toggle_model(self) -> None:
        if self.model_button.disabled:
            return
        if self.model_shown:
            self.model.layout.display = "none"
            self.model_button.description = SHOW_MODEL
        else:
            self.model.value = Markup('<div class="em-feedback">{}</div>').format(self.exercise.model_answer)
            self.model.layout.display = None
            self.model_button.description = HIDE_MODEL

    def _lock_model(self, locked: bool) -> None:
        if locked and self.model_shown:
            self._toggle_model()
        self.model_button.disabled = locked
        self.model_hint.layout.display = None if locked else "none"

    def restore(self, *, keep_typed: bool = False, resync: bool = False) -> None:
        super().restore(keep_typed=keep_typed, resync=resync)
        self._lock_model(self.book.latest(self.exercise.id) is None)

    def save(self) -> dict | None:
        entry = super().save()
        if entry is not None:
            self._lock_model(False)
        return entry

    def read(self) -> ReframeAnswer:
        return ReframeAnswer(opportunity=checked_text(self.opportunity.value, "the real opportunity"),
                             help=checked_text(self.help.value, "how you can help"))

    def fill(self, answer: ReframeAnswer) -> None:
        self.opportunity.value = answer.opportunity
        self.help.value = answer.help

    def clear(self) -> None:
        self.opportunity.value = ""
        self.help.value = ""
