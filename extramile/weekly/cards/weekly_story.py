"""This week's extra-mile story: recognize it, document it, learn from it; private unless shared.

Each week asks about a different kind of moment (weekly_text's rotation of
eight), so the card shows the picked week's question above the three parts.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from extramile.content import weekly_text
from extramile.content.answer_models import StoryAnswer
from extramile.content.weekly_text import WeeklyExercise
from extramile.content.weeks import STORY, STORY_PARTS
from extramile.exceptions import Incomplete
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import checked_text, paragraph, text_area
from extramile.participant.cards.lean_widgets import Text
from extramile.weekly.cards.week_card import WeekCard


class StoryCard(WeekCard):
    """Three parts, each a text box; one written part is enough to save."""

    answer_model = StoryAnswer
    shareable = True

    def __init__(self, text: weekly_text.StoryText, book: AnswerBook, week: Callable[[], str],
                 theme_of: Callable[[str], weekly_text.WeekTheme]) -> None:
        self.theme_of = theme_of
        self.labels = dict(StoryAnswer.words())
        self.parts = {part: text_area(getattr(text, part).placeholder, rows=3) for part in STORY_PARTS}
        self.theme = Text()
        fields = [self.theme, paragraph(text.prompt, "em-hint")]
        for part in STORY_PARTS:
            fields += [paragraph(self.labels[part], "em-label"), self.parts[part]]
        super().__init__(WeeklyExercise(STORY, text.title), book, week, fields)

    def restore(self, *, keep_typed: bool = False, resync: bool = False) -> None:
        theme = self.theme_of(self.week())
        self.theme.value = Markup('<div class="em-theme"><b>{}</b><div class="em-prompt">{}</div></div>').format(
            theme.title, theme.prompt)
        super().restore(keep_typed=keep_typed, resync=resync)

    def read(self) -> StoryAnswer:
        values = {part: area.value for part, area in self.parts.items()}
        if not any(value.strip() for value in values.values()):
            raise Incomplete("Please write your story first: even one sentence about what happened counts.")
        for part, value in values.items():
            if value.strip():
                checked_text(value, f'"{self.labels[part]}"')
        return StoryAnswer(week=self.week(), **values)

    def fill(self, answer: StoryAnswer) -> None:
        for part, area in self.parts.items():
            area.value = getattr(answer, part)

    def clear(self) -> None:
        for area in self.parts.values():
            area.value = ""
