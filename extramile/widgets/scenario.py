"""A customer situation and three or four responses; the choice brings feedback that explains why."""

import html

import ipywidgets as w

from extramile.widgets.card import Card, Incomplete, paragraph


class ScenarioCard(Card):
    def __init__(self, exercise, book, lesson):
        self.choice = w.RadioButtons(options=[(o.text, i) for i, o in enumerate(exercise.options)],
                                     value=None, layout=w.Layout(width="100%"))
        self.feedback = w.HTML()
        self.choice.observe(self._explain, names="value")
        super().__init__(exercise, book, lesson, [
            paragraph(exercise.situation, "em-situation"), paragraph(exercise.prompt),
            self.choice, self.feedback,
        ])

    def _explain(self, _change=None):
        index = self.choice.value
        self.feedback.value = "" if index is None else (
            f'<div class="em-feedback">{html.escape(self.exercise.options[index].feedback)}</div>')

    def read(self):
        if self.choice.value is None:
            raise Incomplete("Please choose one of the responses first.")
        return {"choice": self.choice.value, "option": self.exercise.options[self.choice.value].text}

    def fill(self, answer):
        choice = answer.get("choice")
        self.choice.value = choice if isinstance(choice, int) and 0 <= choice < len(self.exercise.options) else None

    def clear(self):
        self.choice.value = None
