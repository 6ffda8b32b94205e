"""The team's seven habits for the week: a number where the habit is counted, a tick where it is yes or no.

Which seven depends on the participant's team, so the rows are laid out
again whenever someone of another team signs in on the page.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
from markupsafe import Markup

from extramile.content import weekly_text, workshop_choices
from extramile.content.answer_models import WeeklyHabitsAnswer
from extramile.content.weekly_text import WeeklyExercise
from extramile.content.weeks import HABITS
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import paragraph
from extramile.participant.cards.habits import TeamHabits
from extramile.participant.cards.lean_widgets import Column, Row, Text
from extramile.weekly.cards.week_card import WeekCard

MAX_COUNT = 9999


class HabitWeekCard(TeamHabits, WeekCard):
    """Each habit as the habits file says it is recorded (`weekly: count` or `tick`)."""

    answer_model = WeeklyHabitsAnswer

    def __init__(self, text: weekly_text.HabitsText, book: AnswerBook, week: Callable[[], str]) -> None:
        self.tick = text.tick
        self.inputs: dict[str, w.BoundedIntText | w.Checkbox] = {}
        self.rows = Column(layout=w.Layout(width="100%"))
        super().__init__(WeeklyExercise(HABITS, text.title), book, week, [paragraph(text.prompt), self.rows])

    def rows_for(self, habits: tuple[workshop_choices.Habit, ...]) -> list[w.Widget]:
        self.inputs, rows = {}, []
        for habit in habits:
            if habit.weekly == "count":
                field = w.BoundedIntText(value=0, min=0, max=MAX_COUNT, layout=w.Layout(width="6.5em"))
            else:
                field = w.Checkbox(value=False, description=self.tick, indent=False, layout=w.Layout(width="6.5em"))
            field.observe(self._changed, names="value")
            self.inputs[habit.id] = field
            question = Text(Markup('<div class="em-habit"><b>{}</b><div class="em-hint">{}</div></div>')
                            .format(habit.label, habit.weekly_prompt), layout=w.Layout(flex="1 1 16em"))
            row = Row([question, field], layout=w.Layout(flex_flow="row wrap", align_items="center",
                                                         width="100%"))
            row.add_class("em-habit-row")
            rows.append(row)
        return rows

    def read(self) -> WeeklyHabitsAnswer:
        values = {}
        for habit_id, field in self.inputs.items():
            values[habit_id] = bool(field.value) if isinstance(field, w.Checkbox) else int(field.value)
        return WeeklyHabitsAnswer(week=self.week(), values=values)

    def fill(self, answer: WeeklyHabitsAnswer) -> None:
        for habit_id, field in self.inputs.items():
            value = answer.values.get(habit_id)
            if isinstance(field, w.Checkbox):
                field.value = value is True
            else:
                field.value = value if type(value) is int and 0 <= value <= MAX_COUNT else 0

    def clear(self) -> None:
        for field in self.inputs.values():
            field.value = False if isinstance(field, w.Checkbox) else 0
