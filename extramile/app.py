"""The participant app: every page of the day, served by Solara from one process.

`python -m extramile serve` runs this module. Each browser tab gets a light
virtual kernel of its own, and each route in it builds its own `Page`, so
one participant's answers can never land in another's journal, however many
tabs the room has open. Nothing about a participant is kept in this module:
only the board that lets the tabs of one browser follow each other's sign-in.
Moving between lessons is navigation inside the tab: no new process, no
new sign-in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import ipyvue
import ipywidgets as w
import solara
from solara.server import kernel_context

from extramile import content
from extramile.browser_tabs import BrowserTabs
from extramile.journal import Journal
from extramile.page import Page

log = logging.getLogger(__name__)
TABS = BrowserTabs()
TROUBLE = ("Sorry, this part of the page did not load. Please reload the page; if it happens again, "
           "ask the facilitator. Your saved answers are safe.")


def browser_session() -> str | None:
    """The browser's session id, from the server's HttpOnly cookie (never shown to the page)."""
    try:
        return solara.get_session_id() or None
    except Exception:  # noqa: BLE001 - outside a served page (tests rendering components) there is none
        return None


def run_in_this_tab() -> Callable[[Callable[[], None]], None]:
    """How another tab's thread can change this tab's widgets: inside this tab's kernel context."""
    context = kernel_context.get_current_context()

    def run(action: Callable[[], None]) -> None:
        with context:
            action()
    return run


def close_widgets(widget: w.Widget) -> None:
    """Free a page's widgets when the tab leaves it, instead of when the tab closes."""
    for child in getattr(widget, "children", ()):
        if isinstance(child, w.Widget):
            close_widgets(child)
    widget.close()


def html_element(tag: str, children: list, css_class: str = "", **attributes):
    return ipyvue.Html.element(tag=tag, children=children, class_=css_class, attributes=attributes)


def lessons_list(current: str):
    """The welcome page's list of the day's pages, with time estimates, then the weekly journal."""
    items = [
        html_element("li", [solara.Link(content.route_of(name), children=[notebook.title]),
                            html_element("span", [f" about {notebook.minutes} min"], "em-minutes")])
        for name, notebook in content.load_all().items() if name != current
    ]
    weekly = content.weekly_journal()
    return solara.Column(children=[
        html_element("ol", items, "em-lessons"),
        html_element("p", ["After the workshop, every week: ",
                           solara.Link(content.route_of(content.WEEKLY_NOTEBOOK), children=[weekly.title])],
                     "em-hint"),
    ], gap="0")


def way_on(current: str):
    """All lessons, and the next page of the day."""
    parts = [solara.Link("/", children=["All lessons"])]
    following = content.next_notebook(current)
    if following is not None:
        parts += [" · Next: ", solara.Link(content.route_of(following),
                                            children=[f"{content.notebook(following).title} →"])]
    return html_element("nav", [html_element("p", parts, "em-next")], aria_label="Pages of the day")


def participant_page(name: str):
    """The route component for one notebook's page."""
    notebook = content.notebook(name)

    @solara.component
    def ParticipantPage():
        session = browser_session()

        def build() -> tuple[Page, w.Box]:
            page = Page(name, Journal(), browser_session=session)
            page.on_sign_in_or_out = (lambda: TABS.tell_others(session, page)) if session else None
            return page, w.Box(page.body())

        page, body = solara.use_memo(build, dependencies=[name])

        def follow_the_browser():
            if not session:
                return None
            TABS.join(session, page, run_in_this_tab())

            def leave():
                TABS.leave(session, page)
                close_widgets(body)
                close_widgets(page.bar)
            return leave

        solara.use_effect(follow_the_browser, [page])
        solara.Title(f"{notebook.title} · Extra Mile")
        story, *rest = body.children
        children = [html_element("h1", [notebook.title]), page.bar, story]
        if name == content.PARTICIPANT_NOTEBOOKS[0]:
            children += [html_element("h2", ["The pages of today's workshop"]), lessons_list(name)]
        children += [*rest, way_on(name)]
        return html_element("main", children, "em-page")

    return ParticipantPage


@solara.component
def Shell(children=[]):  # noqa: B006 - Solara passes the route's page as children
    """The frame of every page: our styles (served as a file) and a sentence instead of a traceback."""
    error, _clear = solara.use_exception()
    if error is not None:
        log.error("A participant page failed", exc_info=error)
        return html_element("main", [html_element("p", [TROUBLE], "em-status em-error", role="alert")], "em-page")
    return solara.Div(children=children, classes=["em-app"])


routes = [
    solara.Route(path=content.route_of(name).lstrip("/") or "/", component=participant_page(name),
                 label=content.notebook(name).title, layout=Shell if index == 0 else None)
    for index, name in enumerate(content.PARTICIPANT_NOTEBOOKS)
]
