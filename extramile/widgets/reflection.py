"""A prompt and a text area: the participant's own words, private unless shared."""

from extramile.widgets.card import Card, checked_text, paragraph, text_area


class ReflectionCard(Card):
    shareable = True

    def __init__(self, exercise, book, lesson):
        self.text = text_area(exercise.placeholder, rows=5)
        super().__init__(exercise, book, lesson, [paragraph(exercise.prompt), self.text])

    def read(self):
        return {"text": checked_text(self.text.value, "your answer")}

    def fill(self, answer):
        self.text.value = answer.get("text", "")

    def clear(self):
        self.text.value = ""

