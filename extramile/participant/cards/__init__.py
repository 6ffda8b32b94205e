"""The lesson cards: one module per exercise kind, all built on one Card (card.py), and card_for() to pick one."""

import ipywidgets as w

from extramile import content
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import Card
from extramile.participant.cards.commitment import CommitmentCard
from extramile.participant.cards.habits import HabitsCard
from extramile.participant.cards.reflection import ReflectionCard
from extramile.participant.cards.reframe import ReframeCard
from extramile.participant.cards.roleplay import RoleplayCard
from extramile.participant.cards.scale import ScaleCard
from extramile.participant.cards.scenario import Round, ScenarioCard

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
