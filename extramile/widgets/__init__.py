"""The cards: one module per lesson exercise kind and per weekly journal card, all built on one Card."""

import ipywidgets as w

from extramile import content
from extramile.answers import AnswerBook
from extramile.widgets.card import Card
from extramile.widgets.commitment import CommitmentCard
from extramile.widgets.habits import HabitsCard
from extramile.widgets.reflection import ReflectionCard
from extramile.widgets.reframe import ReframeCard
from extramile.widgets.roleplay import RoleplayCard
from extramile.widgets.scale import ScaleCard
from extramile.widgets.scenario import Round, ScenarioCard

CARDS = {
    "reflection": ReflectionCard,
    "scenario": ScenarioCard,
    "reframe": ReframeCard,
    "roleplay": RoleplayCard,
    "scale": ScaleCard,
    "habits": HabitsCard,
    "commitment": CommitmentCard,
}


def card_for(exercise: content.Exercise, book: AnswerBook, lesson: str | None, room: Round | None = None) -> Card:
    """The widget for an exercise of any kind, bound to a participant's answer book (and a scenario to the room)."""
    if exercise.kind == "scenario":
        return ScenarioCard(exercise, book, lesson, room)
    return CARDS[exercise.kind](exercise, book, lesson)


def close_widgets(widget: w.Widget) -> None:
    """Free a tree of widgets when a tab leaves a page or a view rebuilds, instead of when the tab closes."""
    for child in getattr(widget, "children", ()):
        if isinstance(child, w.Widget):
            close_widgets(child)
    widget.close()
