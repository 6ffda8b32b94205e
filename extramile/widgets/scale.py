"""A 1-10 slider with labelled ends: the mindset check and "Am I doing my best?"."""

import ipywidgets as w

from extramile.widgets.card import Card, paragraph

MIDDLE = 5


class ScaleCard(Card):
    def __init__(self, exercise, book, lesson):
        self.value = w.IntSlider(value=MIDDLE, min=1, max=10, step=1, continuous_update=False,
                                 layout=w.Layout(flex="1 1 12em", min_width="10em"))
        ends = w.HBox([paragraph(exercise.low, "em-end"), self.value, paragraph(exercise.high, "em-end")],
                      layout=w.Layout(flex_flow="row wrap", align_items="center", width="100%"))
        super().__init__(exercise, book, lesson, [paragraph(exercise.prompt), ends])

    def read(self):
        return {"value": self.value.value, "measure": self.exercise.measure, "moment": self.exercise.moment}

    def fill(self, answer):
        value = answer.get("value")
        self.value.value = value if isinstance(value, int) and 1 <= value <= 10 else MIDDLE

    def clear(self):
        self.value.value = MIDDLE
