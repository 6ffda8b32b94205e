"""A prompt and a text area: the participant's own words, private unless shared."""

from extramile import content
from extramile.content.answer_models import ReflectionAnswer
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import Card, checked_text, paragraph, text_area


class ReflectionCard(Card):
    answer_model = ReflectionAnswer
    shareable = True

    def __init__(self, exercise: content.Reflection, book: AnswerBook, lesson: str | None) -> None:
        self.text = text_area(exercise.placeholder, rows=5)
        super().__init__(exercise, book, lesson, [paragraph(exercise.prompt), self.text])

    def read(self) -> ReflectionAnswer:
        return ReflectionAnswer(text=checked_text(self.text.value, "your answer"))

    def fill(self, answer: ReflectionAnswer) -> None:
        self.text.value = answer.text

    def clear(self) -> None:
        self.text.value = ""

