"""Words, buttons and boxes open one widget in the browser each, not three; one that hides keeps its layout."""

from __future__ import annotations

import ipywidgets as w
from ipywidgets.widgets.widget import _instances

from extramile.participant.cards.lean_widgets import Button, Column, Row, Text


def opened_while(make) -> list[str]:
    """The kinds of widget model opened (each one a message to the browser) while `make` runs."""
    before = set(_instances)
    make()
    return sorted(type(_instances[key]).__name__ for key in set(_instances) - before)


def test_words_buttons_and_boxes_open_no_layout_or_style_of_their_own():
    def page_parts() -> None:
        Column([Text("<h3>My 45 seconds</h3>"), Row([Button(description="Save", button_style="primary")])])
    assert opened_while(page_parts) == ["Button", "Column", "Row", "Text"]
    assert opened_while(lambda: w.VBox([w.HTML("<h3>My 45 seconds</h3>")])) == [
        "HTML", "HTMLStyle", "Layout", "Layout", "VBox"]  # what plain ipywidgets open for the same


def test_one_that_is_hidden_and_shown_keeps_a_layout_the_browser_follows():
    hint = Text("<p>Write yours first</p>", layout=w.Layout())
    hint.layout.display = "none"
    state = hint.get_state()
    assert state["layout"] == f"IPY_MODEL_{hint.layout.model_id}" and hint.layout.get_state()["display"] == "none"
    assert Text("<p>words</p>").get_state()["layout"] is None and Button().get_state()["style"] is None
