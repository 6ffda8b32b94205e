"""The participant app's components, rendered without a browser: routes, per-tab pages, the error sentence."""

from __future__ import annotations

import logging

import ipywidgets as w
import reacton
import solara

from extramile import content
from extramile.room import app, facilitator


def texts_in(widget) -> str:
    """Every string a rendered widget tree would show, joined."""
    found = []
    for value in (getattr(widget, "value", None), getattr(widget, "description", None)):
        if isinstance(value, str):
            found.append(value)
    for child in getattr(widget, "children", ()) or ():
        found.append(child if isinstance(child, str) else texts_in(child))
    return "\n".join(found)


def rendered(component) -> w.VBox:
    box = w.VBox()
    reacton.render(component(), box)
    return box


def links_in(widget) -> list[tuple[str, str]]:
    """(address, words) of every link a rendered page shows."""
    return [(html.attributes["href"], "".join(c for c in html.children if isinstance(c, str)))
            for html in walk(widget) if getattr(html, "tag", None) == "a"]


def heading_of(widget) -> str:
    [title] = [html.children[0] for html in walk(widget) if getattr(html, "tag", None) == "h1"]
    return title


def route_at(address: str) -> solara.Route:
    path = "/" if address == "/" else address.lstrip("/")
    found = [route for route in app.routes if route.path == path]
    assert len(found) == 1, f"{address} is served by {len(found)} routes"
    return found[0]


def test_every_page_of_the_day_is_reached_from_the_welcome_and_each_link_opens_the_page_it_names(journal):
    welcome = rendered(app.routes[0].component)
    assert app.routes[0].path == "/" and heading_of(welcome) == content.notebook(content.PARTICIPANT_NOTEBOOKS[0]).title
    to_visit, seen = ["/"], {}
    while to_visit:
        address = to_visit.pop()
        page = rendered(route_at(address).component)
        seen[address] = heading_of(page)
        for link, words in links_in(page):
            if link != "/":
                assert heading_of(rendered(route_at(link).component)) == words.removesuffix(" →")
            if link not in seen and link not in to_visit:
                to_visit.append(link)
    assert sorted(seen.values()) == sorted(content.notebook(name).title for name in content.PARTICIPANT_NOTEBOOKS)


def test_the_console_routes_show_the_door_once_serve_set_a_passphrase_and_say_why_they_are_closed_before(
        monkeypatch):
    console = route_at("/facilitator")
    room_view, projector_view = (child.component for child in console.children)
    monkeypatch.setattr(facilitator, "_console", None)
    for view in (room_view, projector_view):
        page = texts_in(rendered(view))
        assert app.CONSOLE_CLOSED in page and "Passphrase" not in page
    facilitator.configure("amber-birch-cedar-delta-417")
    for view in (room_view, projector_view):
        page = rendered(view)
        assert app.CONSOLE_CLOSED not in texts_in(page) and heading_of(page) == "Facilitator console"
        assert any(isinstance(field, w.Password) for field in walk(page))


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

    with caplog.at_level(logging.ERROR, logger="extramile.room.app"):
        shown, _ = reacton.render_fixed(app.Shell(children=[Broken()]))
    assert app.TROUBLE in texts_in(shown)
    assert "the detail only the log may see" not in texts_in(shown) and "Traceback" not in texts_in(shown)
    ours = [r for r in caplog.records if r.name == "extramile.room.app"]
    assert ours and "the detail only the log may see" in str(ours[0].exc_info[1])


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()) or ():
        if isinstance(child, w.Widget):
            yield from walk(child)


def test_a_page_follows_the_room_the_facilitator_changes(journal):
    name = "02_positive_mindset"
    page = rendered(route_at(content.route_of(name)).component)
    assert app.LOCKED not in texts_in(page)
    app.the_room().set_open(name, False)
    assert app.LOCKED in texts_in(page)
    app.the_room().say("Back in five minutes")
    assert "Back in five minutes" in texts_in(page)
    app.the_room().set_open(name, True)
    assert app.LOCKED not in texts_in(page) and "Back in five minutes" in texts_in(page)


def test_each_journal_folder_has_its_own_room_and_every_tab_of_one_shares_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EXTRAMILE_JOURNAL_DIR", "journal")
    room = app.the_room()
    monkeypatch.setenv("EXTRAMILE_JOURNAL_DIR", str(tmp_path / "journal"))
    assert app.the_room() is room
    monkeypatch.setenv("EXTRAMILE_JOURNAL_DIR", str(tmp_path / "another"))
    assert app.the_room() is not room and app.the_room().path.parent == tmp_path / "another"
