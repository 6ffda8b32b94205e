"""The participant app: every page of the day, served by Solara from one process.

`python -m extramile serve` runs this module. Each browser tab gets a light
virtual kernel of its own, and each route in it builds its own `Page`, so
one participant's answers can never land in another's journal, however many
tabs the room has open. Nothing about a participant is kept in this module:
only each tab's link to its browser's sign-in (signin.BrowserLink), which
the tab's pages share, and the board that lets tabs follow each other's
sign-in (extramile.room.browser_tabs). Moving between lessons is navigation
inside the tab: no new process, no new sign-in.
"""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path

import ipyvue
import ipywidgets as w
import solara
import solara.lab
from solara.lab.toestand import use_sync_external_store
from solara.server import kernel_context

from extramile import content
from extramile.exceptions import ConsoleNotConfigured
from extramile.identity.sessions import CONSOLE, PARTICIPANT, TICKETS
from extramile.page import Page, pages_of_the_day
from extramile.participant.cards import close_widgets
from extramile.participant.signin import BrowserLink
from extramile.room import across_workers, facilitator
from extramile.room.browser_tabs import TABS
from extramile.room.console_view import ConsoleView
from extramile.room.countdown import Countdown
from extramile.room.room_figures import projectables
from extramile.room.room_state import RoomState
from extramile.room.session_cookie import cookie_name
from extramile.store.journal import Journal
from extramile.store.journal_store import default_directory, open_journal

log = logging.getLogger(__name__)
_LINKS: dict[str, BrowserLink] = {}  # kernel id: that tab's link
LOCKED = "We'll open this lesson together soon. Stay on this page: it opens by itself when we do."
CONSOLE_CLOSED = ("The console is closed: this server was started without a facilitator passphrase. "
                  "Start the room with make workshop; it prints the console's address and passphrase.")
TROUBLE = ("Sorry, this part of the page did not load. Please reload the page; if it happens again, "
           "ask the facilitator. Your saved answers are safe.")


def cookie(kind: str) -> str | None:
    """The session id in the browser's HttpOnly cookie of this kind (sessions.PARTICIPANT or CONSOLE), if any.

    As the browser sent it when the tab connected; never shown to the page.
    """
    try:
        cookies = solara.lab.cookies.peek() or {}
    except Exception:  # noqa: BLE001 - outside a served page (tests rendering components) there is none
        return None
    return cookies.get(cookie_name(kind)) or None


def tab_link() -> BrowserLink:
    """This tab's link to its browser's sign-in, made from its cookie once and kept while the tab lives."""
    try:
        context = kernel_context.get_current_context()
    except RuntimeError:
        return BrowserLink()  # rendered outside the server
    link = _LINKS.get(context.id)
    if link is None:
        link = _LINKS[context.id] = BrowserLink(cookie(PARTICIPANT))
        context.on_close(lambda: _LINKS.pop(context.id) if _LINKS.get(context.id) is link else None)
    return link


def tab_connected() -> Callable[[], bool]:
    """Whether this tab's browser holds its socket open now (a closed or dropped tab is not "online")."""
    try:
        context = weakref.ref(kernel_context.get_current_context())
    except RuntimeError:
        return lambda: True
    return lambda: (tab := context()) is not None and kernel_context.PageStatus.CONNECTED in tab.page_status.values()


def the_room() -> RoomState:
    """The room of this server's journal folder, shared by every tab of the process.

    Solara's reactive variables hold a value per tab (per virtual kernel), and
    the room is one for everyone: what the console changes, every open page
    follows. So the room is kept once per journal folder, and each tab follows
    it through Solara's external-store hook (use_room).
    """
    return _room_of(default_directory().resolve())


@cache
def _room_of(directory: Path) -> RoomState:
    room = RoomState(directory)
    across_workers.start(room, directory)
    return room


def use_room() -> RoomState:
    """The room, re-rendering this component whenever the facilitator changes it.

    Solara subscribes when the component mounts and unsubscribes when it
    unmounts or its tab closes; a change made from another tab's thread is
    heard in this tab's own kernel context.
    """
    room = the_room()

    def subscribe(listener: Callable[[], None]) -> Callable[[], None]:
        run = run_in_this_tab()
        return room.subscribe(lambda: run(listener))
    use_sync_external_store(subscribe, lambda: room.version)
    return room


def run_in_this_tab() -> Callable[[Callable[[], None]], None]:
    """How another tab's thread can change this tab's widgets: inside this tab's kernel context.

    Rendered outside the server (tests), there is no context and the change runs as it is.
    """
    try:
        context = kernel_context.get_current_context()
    except RuntimeError:
        return lambda action: action()

    def run(action: Callable[[], None]) -> None:
        with context:
            action()
    return run


def html_element(tag: str, children: list, css_class: str = "", **attributes: str) -> solara.Element:
    return ipyvue.Html.element(tag=tag, children=children, class_=css_class, attributes=attributes)


def lessons_list(current: str) -> solara.Element:
    """The welcome page's list of the day's pages, with time estimates, then the weekly journal."""
    lessons, weekly = pages_of_the_day(current)
    items = [
        html_element("li", [solara.Link(content.route_of(lesson.notebook), children=[lesson.title]),
                            html_element("span", [f" about {lesson.minutes} min"], "em-minutes")])
        for lesson in lessons
    ]
    return solara.Column(children=[
        html_element("ol", items, "em-lessons"),
        html_element("p", ["After the workshop, every week: ",
                           solara.Link(content.route_of(weekly.notebook), children=[weekly.title])],
                     "em-hint"),
    ], gap="0")


def way_on(current: str) -> solara.Element:
    """All lessons, and the next page of the day."""
    parts = [solara.Link("/", children=["All lessons"])]
    following = content.next_notebook(current)
    if following is not None:
        parts += [" · Next: ", solara.Link(content.route_of(following),
                                            children=[f"{content.notebook(following).title} →"])]
    return html_element("nav", [html_element("p", parts, "em-next")], aria_label="Pages of the day")


def room_message(message: str) -> solara.Element:
    """The facilitator's one line to everyone, announced politely to screen readers."""
    return html_element("div", [message] if message else [], "em-message", role="status", aria_live="polite")


def countdown(room: RoomState) -> solara.Element:
    """The facilitator's countdown, quietly at the top of the page (the browser ticks it)."""
    pace = room.pace
    item = projectables().get(pace.countdown_for)
    title = item.title if item else "Time left"
    return Countdown.element(active=bool(pace.countdown_for), label=f"{title}: time left",
                             seconds=pace.countdown_left(), round=f"{pace.countdown_for}:{pace.countdown_ends}")


def participant_page(name: str) -> Callable[[], solara.Element]:
    """The route component for one notebook's page."""
    notebook = content.notebook(name)

    @solara.component
    def ParticipantPage() -> solara.Element:
        room = use_room()
        solara.Title(f"{notebook.title} · Extra Mile")
        if not room.is_open(name):
            return html_element("main", [room_message(room.pace.message), countdown(room),
                                         html_element("h1", [notebook.title]),
                                         html_element("p", [LOCKED], "em-locked"), way_on(name)], "em-page")
        return OpenPage(name, room.pace.message, room.version)

    return ParticipantPage


@solara.component
def OpenPage(name: str, message: str, room_version: int) -> solara.Element:
    """A page of the day that is open: built once per tab and route, then kept live by its widgets.

    The room is followed by the route's component, which passes the facilitator's message and the
    room's version down: one listener per tab, not one per component.
    """
    notebook = content.notebook(name)
    link = tab_link()
    room = the_room()

    def build() -> tuple[Page, w.Box]:
        page = Page(name, open_journal(), link=link, room=room)
        page.on_sign_in_or_out = lambda: TABS.tell_others(page)
        return page, w.Box(page.body())

    page, body = solara.use_memo(build, dependencies=[name])

    def follow_the_browser() -> Callable[[], None]:
        TABS.join(link.tab, page, run_in_this_tab(), tab_connected())

        def leave() -> None:
            TABS.leave(link.tab, page)
            close_widgets(body)
            close_widgets(page.bar)
        return leave

    solara.use_effect(follow_the_browser, [page])
    solara.use_effect(page.follow_room, [page, room_version])
    story, *rest = body.children
    children = [room_message(message), countdown(room), html_element("h1", [notebook.title]), page.bar, story]
    if name == content.PARTICIPANT_NOTEBOOKS[0]:
        children += [html_element("h2", ["The pages of today's workshop"]), lessons_list(name)]
    children += [*rest, way_on(name)]
    return html_element("main", children, "em-page")


def console_page(projector: bool) -> Callable[[], solara.Element]:
    """The facilitator's room view or projector view, behind the console passphrase."""

    @solara.component
    def ConsolePage() -> solara.Element:
        try:
            door: facilitator.Console | None = facilitator.console()
        except ConsoleNotConfigured as exc:
            log.error("%s", exc)
            door = None
        admitted, set_admitted = solara.use_state(door is not None and door.admits(cookie(CONSOLE)))
        ticket, set_ticket = solara.use_state("")
        solara.Title("Projector · Extra Mile" if projector else "Facilitator console · Extra Mile")
        if door is None:
            return html_element("main", [html_element("h1", ["Facilitator console"]),
                                         html_element("p", [CONSOLE_CLOSED], "em-status em-error", role="alert")],
                                "em-page")
        if not admitted:
            return PassphraseForm(lambda new_ticket: (set_ticket(new_ticket), set_admitted(True)))
        return LiveConsole(projector, ticket)

    return ConsolePage


@solara.component
def PassphraseForm(on_admitted: Callable[[str], None]) -> solara.Element:
    """The console's door; a right passphrase hands the page a ticket for the console's cookie (custom.js)."""

    def build() -> w.VBox:
        field = w.Password(description="Passphrase", placeholder="As printed by make workshop",
                           continuous_update=False)
        button = w.Button(description="Open the console", button_style="primary")
        button.add_class("em-submit")  # what Enter presses (custom.js)
        message = w.HTML()

        def try_it(_button: w.Button) -> None:
            attempt, field.value = field.value, ""
            session = facilitator.console().sign_in(attempt)
            if session:
                on_admitted(TICKETS.issue(CONSOLE, session))
            else:
                message.value = "<p class='em-status em-warn' role='alert'>That is not the console's passphrase.</p>"
        button.on_click(try_it)
        form = w.VBox([field, button, message])
        form.add_class("em-form")
        return form

    form = solara.use_memo(build, dependencies=[])
    return html_element("main", [html_element("h1", ["Facilitator console"]),
                                 html_element("p", ["The passphrase was printed where the server was started."]),
                                 form], "em-page")


@solara.component
def LiveConsole(projector: bool, ticket: str = "") -> solara.Element:
    room = use_room()
    address = os.environ.get("EXTRAMILE_PARTICIPANT_URL", "")
    folder = default_directory()
    view = solara.use_memo(lambda: ConsoleView(Journal(folder), room, partial(across_workers.people_online, folder),
                                               projector, address),
                           dependencies=[])

    solara.use_thread(view.keep_live, dependencies=[], intrusive_cancel=False)  # stopped when the tab closes
    title = [] if projector else [html_element("h1", ["Facilitator console"])]
    collect = [html_element("span", [], "em-ticket", **{"data-ticket": ticket})] if ticket else []
    return html_element("main", [*title, view.widget, *collect],
                        "em-page em-wide" if not projector else "em-page em-full")


@solara.component
def Shell(children: list = []) -> solara.Element:  # noqa: B006 - Solara passes the route's page as children
    """The frame of every page: our styles (served as a file) and a sentence instead of a traceback."""
    error, _clear = solara.use_exception()
    if error is not None:
        log.error("A participant page failed", exc_info=error)
        return html_element("main", [html_element("p", [TROUBLE], "em-status em-error", role="alert")], "em-page")
    return solara.Div(children=children, classes=["em-app"])


routes = [
    *(solara.Route(path=content.route_of(name).lstrip("/") or "/", component=participant_page(name),
                   label=content.notebook(name).title, layout=Shell if index == 0 else None)
      for index, name in enumerate(content.PARTICIPANT_NOTEBOOKS)),
    solara.Route(path="facilitator", children=[
        solara.Route(path="/", component=console_page(projector=False), label="Facilitator console"),
        solara.Route(path="projector", component=console_page(projector=True), label="Projector"),
    ]),
]
