"""The participant app's components, rendered without a browser: routes, per-tab pages, the error sentence."""

from __future__ import annotations

import logging

import ipywidgets as w
import reacton
import solara

from extramile import app, content


def texts_in(widget) -> str:
    """Every string a rendered widget tree would show, joined."""
    found = []
    for value in (getattr(widget, "value", None), getattr(widget, "description", None)):
        if isinstance(value, str):
            found.append(value)
    for child in getattr(widget, "children", ()) or ():
        found.append(child if isinstance(child, str) else texts_in(child))
    return "\n".join(found)


def test_every_page_of_the_day_has_a_route_and_the_welcome_is_the_root():
    *pages, console = app.routes
    paths = [route.path for route in pages]
    assert paths[0] == "/" and len(paths) == len(content.PARTICIPANT_NOTEBOOKS) == len(set(paths))
    assert all(route.component is not None for route in pages)
    assert app.routes[0].layout is app.Shell
    assert console.path == "facilitator" and [r.path for r in console.children] == ["/", "projector"]


def test_each_tab_gets_pages_of_its_own(journal):
    first, second = w.VBox(), w.VBox()
    reacton.render(app.participant_page("01_notice_small_opportunities")(), first)
    reacton.render(app.participant_page("01_notice_small_opportunities")(), second)
    first_cards = [c for c in walk(first) if c.__class__.__name__.endswith("Card")]
    second_cards = [c for c in walk(second) if c.__class__.__name__.endswith("Card")]
    assert first_cards and len(first_cards) == len(second_cards)
    assert not {id(c) for c in first_cards} & {id(c) for c in second_cards}
    assert "Notice small opportunities" in texts_in(first)


def test_a_failing_page_shows_a_sentence_and_logs_the_detail(caplog):
    @solara.component
    def Broken():
        raise RuntimeError("the detail only the log may see")

    with caplog.at_level(logging.ERROR, logger="extramile.app"):
        shown, _ = reacton.render_fixed(app.Shell(children=[Broken()]))
    assert app.TROUBLE in texts_in(shown)
    assert "the detail only the log may see" not in texts_in(shown) and "Traceback" not in texts_in(shown)
    ours = [r for r in caplog.records if r.name == "extramile.app"]
    assert ours and "the detail only the log may see" in str(ours[0].exc_info[1])


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        if isinstance(child, w.Widget):
            yield from walk(child)
