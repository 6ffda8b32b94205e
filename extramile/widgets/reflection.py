"""A prompt and a text area: the participant's own words, private unless shared."""

from extramile import content
from extramile.answers import AnswerBook
from extramile.widgets.card import Card, checked_text, paragraph, text_area


class ReflectionCard(Card):
    shareable = True

    def __init__(self, exercise: content.Reflection, book: AnswerBook, lesson: str | None) -> None:
        self.text = text_area(exercise.placeholder, rows=5)
        super().__init__(exercise, book, lesson, [paragraph(exercise.prompt), self.text])

    def read(self) -> dict:
        return {"text": checked_text(self.text.value, "your answer")}

    def fill(self, answer: dict) -> None:
        self.text.value = answer.get("text", "")

    def clear(self) -> None:
        self.text.value = ""

