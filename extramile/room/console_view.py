"""The console's widgets: the facilitator's laptop (pace, projector, the wall's queue, progress) or the projector.

The laptop is the private screen: shared answers wait in its queue until the
facilitator approves them (or "approve all", or auto-approve), and a long one
opens in full with one click there. The projector shows only what is
approved and revealed (extramile.room.projector). Each tab keeps itself live with
one look a second (see extramile.room.room_figures); the countdown ticks in the
browser (extramile.room.countdown).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

import ipywidgets as w
from markupsafe import Markup

from extramile import content
from extramile.participant.cards import close_widgets
from extramile.room.console import progress_html
from extramile.room.countdown import Countdown
from extramile.room.projector import PAGE_SECONDS, projector_html, shortened
from extramile.room.room_figures import RoomFigures, WallCard, live_figures, projectables
from extramile.room.room_state import RoomState
from extramile.store.journal import Journal, timestamp

log = logging.getLogger(__name__)
LIVE_SECONDS = 1.0
JOIN_SCREEN = "Join screen: the address and its QR code"
COUNTDOWNS = [("1 minute", 60), ("2 minutes", 120), ("3 minutes", 180), ("5 minutes", 300),
              ("10 minutes", 600), ("15 minutes", 900)]
RESET = "Reset answers"
RESET_AGAIN = "Press again: count only answers from now on"


def auto() -> w.Layout:
    """As wide as its words: a button's label is never cut short."""
    return w.Layout(width="auto")


def lesson_label(name: str, is_open: bool) -> str:
    return f"{content.notebook(name).title}: {'Open' if is_open else 'Locked'}"


class ConsoleView:
    """The widgets of one console tab: the room view, or the projector view."""

    def __init__(self, journal: Journal, room: RoomState, online: Callable[[], int], projector: bool,
                 address: str = "") -> None:
        self.journal, self.room, self.online, self.projector, self.address = journal, room, online, projector, address
        self.items = projectables()
        self.board = w.HTML(layout=w.Layout(width="100%"))
        self.countdown = Countdown()
        self.queue = w.VBox(layout=w.Layout(width="100%"))
        self._queue_shown: tuple | None = None
        self._syncing = False
        parts = [self.board, self.countdown] if projector else [*self._controls(), self.queue, self.board]
        self.widget = w.VBox(parts, layout=w.Layout(width="100%"))
        self.widget.add_class("em-projector" if projector else "em-console")
        self._seen: tuple | None = None
        self.figures: RoomFigures | None = None

    def _controls(self) -> list[w.Widget]:
        self.locks = {}
        for name in content.PARTICIPANT_NOTEBOOKS[1:-1]:
            is_open = self.room.is_open(name)
            toggle = w.ToggleButton(value=is_open, description=lesson_label(name, is_open),
                                    icon="unlock" if is_open else "lock", layout=w.Layout(width="auto"),
                                    tooltip="Open or lock this lesson for everyone")
            toggle.observe(lambda change, name=name: self._act(lambda: self.room.set_open(name, change["new"])),
                           names="value")
            self.locks[name] = toggle
        self.message = w.Text(placeholder="Five minutes left", description="Message",
                              layout=w.Layout(width="100%", max_width="32em"))
        send = w.Button(description="Send to everyone", button_style="primary", layout=auto())
        clear = w.Button(description="Clear", layout=auto())
        send.on_click(lambda _b: self.room.say(self.message.value))
        clear.on_click(lambda _b: (self.room.say(""), setattr(self.message, "value", "")))
        choices = [(JOIN_SCREEN, "")] + [(item.label, key) for key, item in self.items.items()]
        projected = self.room.pace.projected if self.room.pace.projected in self.items else ""
        self.projected = w.Dropdown(options=choices, value=projected, description="Projector",
                                    layout=w.Layout(width="100%", max_width="40em"))
        self.projected.observe(lambda change: self._act(lambda: self.room.project(change["new"])), names="value")
        self.reveal = w.Button(description="Reveal results", button_style="primary", icon="eye", layout=auto())
        self.reveal.on_click(lambda _b: self._on_projected(
            lambda key: self.room.reveal(key, not self.room.pace.shows_results(key))))
        self.second = w.Button(description="Open a second vote", icon="refresh", layout=auto(),
                               tooltip="After the teams have talked: everyone votes again; results wait for Reveal")
        self.second.on_click(lambda _b: self._on_projected(lambda key: self.room.open_second_vote(key, now())))
        self.reset = w.Button(description=RESET, icon="undo", layout=auto(),
                              tooltip="For a rehearsal: the journal keeps every answer")
        self.reset.on_click(lambda _b: self._reset())
        self.minutes = w.Dropdown(options=COUNTDOWNS, value=180, description="Countdown",
                                  layout=w.Layout(width="auto"))
        start = w.Button(description="Start countdown", icon="clock-o", layout=auto())
        stop = w.Button(description="Stop countdown", layout=auto())
        start.on_click(lambda _b: self._on_projected(lambda key: self.room.start_countdown(key, self.minutes.value)))
        stop.on_click(lambda _b: self.room.stop_countdown())
        self.live = w.Checkbox(value=self.room.pace.results_live, indent=False, layout=auto(),
                               description="Show results as they come in (no Reveal needed)")
        self.live.observe(lambda change: self._act(lambda: self.room.set_results_live(change["new"])), names="value")
        self.auto = w.Checkbox(value=self.room.pace.auto_approve, indent=False, layout=auto(),
                               description="Approve every shared answer for the wall automatically")
        self.auto.observe(lambda change: self._act(lambda: self.room.set_auto_approve(change["new"])), names="value")
        self.status = w.HTML()
        row = w.Layout(flex_flow="row wrap", align_items="center")
        return [w.HTML("<h2>Pace</h2><p class='em-hint'>Each lesson button says whether it is open or locked; "
                       "press it to change that. Participants see a locked lesson as \"We'll open this together "
                       "soon\".</p>"),
                w.HBox(list(self.locks.values()), layout=w.Layout(flex_flow="row wrap")),
                w.HBox([self.message, send, clear], layout=row),
                w.HTML("<h2>Projector</h2><p><a href='/facilitator/projector' target='_blank' rel='noopener'>"
                       "Open the projector view</a> (full screen on the projector; never this page).</p>"),
                self.projected, self.status, w.HBox([self.reveal, self.second, self.reset], layout=row),
                w.HBox([self.minutes, start, stop], layout=row), self.countdown, self.live, self.auto]

    def _act(self, action: Callable[[], None]) -> None:
        """A control changed by the facilitator (not by this view following the room) changes the room."""
        if not self._syncing:
            action()

    def _on_projected(self, action: Callable[[str], None]) -> None:
        if self.room.pace.projected:
            action(self.room.pace.projected)

    def _reset(self) -> None:
        if self.reset.description != RESET_AGAIN:
            self.reset.description = RESET_AGAIN
            return
        self.reset.description = RESET
        self._on_projected(lambda key: self.room.reset(key, now()))

    def refresh_if_changed(self) -> None:
        """Show the room again only when something changed: a save, the pace, who is online, the wall's page."""
        from extramile.summary.journal_frame import no_cyclic_gc  # pandas: loaded only once a console is open

        with no_cyclic_gc():
            journal, figures = live_figures(self.journal.directory).now()
            turning = int(time.monotonic() // PAGE_SECONDS) if self.projector else 0
            seen = journal, self.room.version, self.online(), turning
            if seen != self._seen:
                self._seen = seen
                self.show(figures, turning)

    def show(self, figures: RoomFigures, page: int = 0) -> None:
        self.figures = figures
        pace = self.room.pace
        item = self.items.get(pace.projected)
        left = pace.countdown_left()
        label = "" if not pace.countdown_for else (
            "Time left" if self.projector else f"Countdown: {self.items[pace.countdown_for].title}"
            if pace.countdown_for in self.items else "Time left")
        self.countdown.show(label, left, f"{pace.countdown_for}:{pace.countdown_ends}")
        if self.projector:
            self.board.value = projector_html(item, figures, pace, online=self.online(), address=self.address,
                                              page=page)
            return
        self._follow_room(item)
        self.board.value = Markup("<h2>The room</h2>") + progress_html(figures.progress, self.online())
        self._show_queue(item, figures)

    def _follow_room(self, item: object) -> None:
        """Controls show the room as it is, whichever console tab changed it."""
        pace = self.room.pace
        self._syncing = True
        try:
            for name, toggle in self.locks.items():
                toggle.value = self.room.is_open(name)
                toggle.description = lesson_label(name, toggle.value)
                toggle.icon = "unlock" if toggle.value else "lock"
            self.projected.value = pace.projected if pace.projected in self.items else ""
            self.live.value, self.auto.value = pace.results_live, pace.auto_approve
        finally:
            self._syncing = False
        for button in (self.reveal, self.reset):
            button.disabled = item is None
        voting = item is not None and item.id in pace.second_vote
        self.second.disabled = item is None or item.kind != "scenario" or voting
        self.second.description = "Second vote open" if voting else "Open a second vote"
        if item is None:
            self.status.value = "<p class='em-hint'>The projector shows the join screen.</p>"
            return
        shown = pace.shows_results(item.id)
        self.reveal.description = "Results are live" if pace.results_live else (
            "Hide results" if shown else "Reveal results")
        self.reveal.disabled = pace.results_live
        since = f"counting answers since {pace.counted_from[item.id][11:16]} UTC" if item.id in pace.counted_from \
            else "counting every answer"
        vote = "; second vote open" if item.id in pace.second_vote else ""
        self.status.value = Markup("<p class='em-status-line'>The projector shows <b>{}</b>: results {}; {}{}.</p>"
                                   ).format(item.title, "shown" if shown else "hidden until you press Reveal",
                                            since, vote)

    def _show_queue(self, item: object, figures: RoomFigures) -> None:
        """The projected exercise's shared answers: waiting, on the wall, hidden; rebuilt only when that changes."""
        pace = self.room.pace
        cards = [] if item is None or item.kind in ("scenario", "scale") else figures.cards(
            item.id, pace.counted_from.get(item.id, ""))
        states = tuple((card.key, card.text, card.key in pace.hidden, pace.on_wall(card.key)) for card in cards)
        if states == self._queue_shown:
            return
        self._queue_shown = states
        waiting = [c for c in cards if c.key not in pace.hidden and not pace.on_wall(c.key)]
        shown = [c for c in cards if pace.on_wall(c.key)]
        hidden = [c for c in cards if c.key in pace.hidden]
        old = list(self.queue.children)
        children: list[w.Widget] = []
        if item is not None and item.kind not in ("scenario", "scale"):
            approve_all = w.Button(description=f"Approve all {len(waiting)}", disabled=not waiting, icon="check",
                                   layout=auto())
            approve_all.on_click(lambda _b: self.room.approve([c.key for c in waiting]))
            children += [w.HTML(Markup("<h2>Shared answers for the wall</h2><p class='em-hint'>Only approved answers "
                                       "go on the projector; a hidden one leaves every wall and the report (its "
                                       "writer's journal keeps it).</p><h3>Waiting ({})</h3>").format(len(waiting))),
                         w.HBox([approve_all]), *[self._card(c, "waiting") for c in waiting],
                         w.HTML(Markup("<h3>On the wall ({})</h3>").format(len(shown))),
                         *[self._card(c, "shown") for c in shown]]
            if hidden:
                children += [w.HTML(Markup("<h3>Hidden ({})</h3>").format(len(hidden))),
                             *[self._card(c, "hidden") for c in hidden]]
        self.queue.children = children
        for widget in old:
            close_widgets(widget)

    def _card(self, card: WallCard, state: str) -> w.Widget:
        short = shortened(card.text)
        text = Markup("<div class='em-wall-text'>{}</div>").format(card.text) if not short.endswith(" …") else Markup(
            "<details class='em-wall-text'><summary>{}</summary>{}</details>").format(short, card.text)
        buttons = []
        if state != "shown":
            approve = w.Button(description="Show again" if state == "hidden" else "Approve", icon="check",
                               tooltip="Put this answer on the projector's wall")
            approve.on_click(lambda _b: self.room.approve([card.key]))
            buttons.append(approve)
        if state != "hidden":
            hide = w.Button(description="Hide", icon="eye-slash",
                            tooltip="Take this answer off every wall and the report")
            hide.on_click(lambda _b: self.room.hide(card.key))
            buttons.append(hide)
        box = w.VBox([w.HTML(text), w.HBox(buttons)])
        box.add_class("em-queue-card")
        return box

    def keep_live(self, stop: threading.Event) -> None:
        """The tab's own loop: one look on every second, until `stop` is set (the tab closed).

        Every tab looks on the whole second, so the server's tabs share one
        look and one reading (LiveFigures). The app runs it with
        solara.use_thread, whose thread carries the tab's kernel context, so
        the widgets it changes reach that tab only.
        """
        while not stop.is_set():
            try:
                self.refresh_if_changed()
            except Exception:  # noqa: BLE001 - a failed refresh must not end the live view; it retries
                log.exception("The console could not refresh")
            stop.wait(LIVE_SECONDS - time.monotonic() % LIVE_SECONDS)


def now() -> str:
    """This moment as the journal writes it, so a Reset compares with saved answers' times."""
    return timestamp(datetime.now())
