"""The facilitator's console: the room on a laptop, one exercise on the projector, the pace in one place.

The figures are the summary's and the report's (extramile.metrics, by the
rules of extramile.disclosure), so the same privacy rules hold: private text
never appears, a figure waits for enough answers (three in a team, five for
the room, pooled only from teams whose own figure shows), shares go in steps
of 10%, and no name is ever shown beside an answer. Each console tab keeps itself live: it
looks at the journal folder once a second (file sizes and times, no reading)
and recomputes only when something was saved, so an idle console costs the
server next to nothing and a busy room is recomputed at most once a second.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as w
from markupsafe import Markup

from extramile import content, disclosure
from extramile.journal import Journal
from extramile.room_state import RoomState

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)
LIVE_SECONDS = 1.0
PROJECTABLE = ("scenario", "scale", "reflection", "reframe", "commitment", "roleplay")
WAITING = "Waiting for more answers ({n} so far): a figure for the room needs at least {least}."


def journal_fingerprint(directory: Path) -> tuple:
    """What changes whenever anyone saves: every journal file's name, size and change time."""
    try:
        with os.scandir(directory) as entries:
            return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns)
                                for e in entries if e.name.endswith(".jsonl")))
    except OSError:
        return ()


def card_key(at: str, text: str) -> str:
    """A wall card's name for hiding it: stable for that version of the answer, and no name in it."""
    return hashlib.sha256(f"{at}|{text}".encode()).hexdigest()[:16]


class RoomFigures:
    """Everything the console shows, read once per change in the journal, each figure made when first asked for.

    The room view needs progress, the projector one exercise's figure: neither
    pays for the other's. Every console tab of the server shares one set per
    version of the journal (figures_for), so a laptop and a projector cost one.
    """

    def __init__(self, journal: Journal) -> None:
        from extramile import journal_frame, metrics  # pandas: loaded only once a facilitator opens the console

        self._metrics = metrics
        self.catalog = content.Catalog.from_content()
        self._frame, _loaded = journal_frame.load_frame(journal, catalog=self.catalog)

    @cached_property
    def members(self) -> pd.DataFrame:
        return self._metrics.members_signed_in(self._frame)

    @cached_property
    def completion(self) -> pd.DataFrame:
        return self._metrics.completion_by_team_lesson(self._frame, self.catalog)

    @cached_property
    def spread(self) -> pd.DataFrame:
        return self._metrics.scenario_spread(self._frame, self.catalog)

    @cached_property
    def wall(self) -> pd.DataFrame:
        return self._metrics.shared_wall(self._frame, self.catalog)

    def scale(self, measure: str) -> pd.DataFrame:
        return self._metrics.scale_distribution(self._frame, measure)


@lru_cache(maxsize=2)
def figures_for(directory: Path, fingerprint: tuple) -> RoomFigures:
    """One reading of the journal per version of it, shared by every console tab."""
    return RoomFigures(Journal(directory))


def progress_html(figures: RoomFigures, online: int) -> Markup:
    """Per team: who has signed in, and how far each page of the day is (answers out of possible)."""
    notebooks = list(dict.fromkeys(figures.completion["notebook"]))
    labels = dict(zip(figures.completion["notebook"], figures.completion["label"]))
    head = Markup("").join(Markup("<th scope='col'>{}</th>").format(labels[n]) for n in notebooks)
    rows = []
    signed = dict(zip(figures.members["team"], zip(figures.members["signed_in"], figures.members["members"])))
    for team, (signed_in, members) in signed.items():
        cells = []
        for notebook in notebooks:
            row = figures.completion[(figures.completion["team"] == team)
                                     & (figures.completion["notebook"] == notebook)]
            answered, possible = (int(row["answered"].iloc[0]), int(row["possible"].iloc[0])) if len(row) else (0, 0)
            share = answered / possible if possible else 0
            cells.append(Markup("<td><div class='em-meter' role='img' aria-label='{0} of {1} answers'>"
                                "<span style='width:{2:.0f}%'></span></div>{0}/{1}</td>")
                         .format(answered, possible, share * 100))
        rows.append(Markup("<tr><th scope='row'>{}</th><td>{} of {}</td>{}</tr>")
                    .format(team, signed_in, members, Markup("").join(cells)))
    body = Markup("").join(rows) or Markup("<tr><td colspan='{}'>Nobody has signed in yet.</td></tr>").format(
        len(notebooks) + 2)
    return Markup("<p class='em-online'><b>{}</b> participant{} online now</p>"
                  "<table class='em-progress'><caption>Progress by team</caption><thead><tr><th scope='col'>Team</th>"
                  "<th scope='col'>Signed in</th>{}</tr></thead><tbody>{}</tbody></table>").format(
        online, "" if online == 1 else "s", head, body)


def projector_html(exercise_id: str, figures: RoomFigures) -> Markup:
    """One exercise for the whole room: the choices as bars, a check-in before and after, or a title for the wall."""
    if not exercise_id:
        return Markup("<h1 class='em-big'>Extra Mile</h1>"
                      "<p class='em-big-hint'>The facilitator will show an exercise here.</p>")
    _notebook, exercise = content.exercise(exercise_id)
    title = Markup("<h1 class='em-big'>{}</h1>").format(exercise.title)
    if exercise.kind == "scenario":
        return title + _scenario_bars(exercise, figures)
    if exercise.kind == "scale":
        return title + _scale_bars(exercise, figures)
    return title + Markup("<p class='em-big-hint'>Answers shared with the team, newest first. No names.</p>")


def waiting(n: int) -> Markup:
    return Markup("<p class='em-big-hint'>{}</p>").format(WAITING.format(n=n, least=disclosure.MIN_POOLED_ANSWERS))


def _bar(label: str, share: float) -> Markup:
    """One response and the room's share for it, in the steps the privacy rule allows."""
    return Markup("<div class='em-bar-row'><div class='em-bar-label'>{0}</div>"
                  "<div class='em-bar' role='img' aria-label='{1:.0%}'><span style='width:{1:.0%}'>"
                  "</span></div><div class='em-bar-count'>{1:.0%}</div></div>").format(label, share)


def _scenario_bars(exercise: content.Scenario, figures: RoomFigures) -> Markup:
    rows = figures.spread[figures.spread["exercise"] == exercise.id]
    total = int(rows["respondents"].iloc[0]) if len(rows) else 0
    if not len(rows) or bool(rows["counts_only"].iloc[0]):
        return waiting(total)
    bars = Markup("").join(_bar(text, share) for text, share in zip(rows["option_text"], rows["share"]))
    return Markup("<p class='em-big-hint'>{} answers</p><div class='em-bars'>{}</div>").format(total, bars)


def _scale_bars(exercise: content.Scale, figures: RoomFigures) -> Markup:
    table = figures.scale(exercise.measure)
    parts = []
    for moment in ("before", "after"):
        rows = table[table["moment"] == moment]
        total = int(rows["respondents"].iloc[0])
        heading = Markup("<h2 class='em-big-moment'>{}</h2>").format(moment.capitalize())
        if bool(rows["counts_only"].iloc[0]):
            parts.append(heading + waiting(total))
            continue
        bars = Markup("").join(_bar(str(value), share) for value, share in zip(rows["value"], rows["share"]))
        parts.append(heading + Markup("<div class='em-bars em-scale'>{}</div>").format(bars))
    ends = Markup("<p class='em-big-hint'>1 = {} · 10 = {}</p>").format(exercise.low, exercise.high)
    return ends + Markup("").join(parts)


def wall_cards(exercise_id: str, figures: RoomFigures, hidden: list[str]) -> list[tuple[str, str]]:
    """(key, text) of the shared answers to one exercise, newest first, minus the cards taken down."""
    if not exercise_id:
        return []
    exercise = content.exercise(exercise_id)[1]
    if exercise.kind in ("scenario", "scale"):
        return []
    rows = figures.wall[(~figures.wall["counts_only"]) & (figures.wall["title"] == exercise.title)]
    rows = rows.sort_values("at", ascending=False, kind="stable")
    cards = [(card_key(at, text), text) for at, text in zip(rows["at"], rows["text"])]
    return [(key, text) for key, text in cards if key not in hidden]


class ConsoleView:
    """The widgets of one console tab: the room view, or the projector view."""

    def __init__(self, journal: Journal, room: RoomState, online: Callable[[], int], projector: bool) -> None:
        self.journal, self.room, self.online, self.projector = journal, room, online, projector
        self.board = w.HTML(layout=w.Layout(width="100%"))
        self.wall = w.VBox(layout=w.Layout(width="100%"))
        self.wall.add_class("em-wall")
        self.controls = [] if projector else self._controls()
        self.widget = w.VBox([*self.controls, self.board, self.wall], layout=w.Layout(width="100%"))
        self.widget.add_class("em-projector" if projector else "em-console")
        self._seen: tuple | None = None
        self.figures: RoomFigures | None = None

    def _controls(self) -> list[w.Widget]:
        locks = []
        for name in content.PARTICIPANT_NOTEBOOKS[1:-1]:
            toggle = w.ToggleButton(value=self.room.is_open(name), description=content.notebook(name).title,
                                    tooltip="Open or lock this lesson for everyone", icon="unlock",
                                    layout=w.Layout(width="auto"))
            toggle.observe(lambda change, name=name: self.room.set_open(name, change["new"]), names="value")
            toggle.observe(lambda change, toggle=toggle: setattr(toggle, "icon", "unlock" if change["new"] else "lock"),
                           names="value")
            locks.append(toggle)
        self.locks = locks
        self.message = w.Text(placeholder="Five minutes left", description="Message",
                              layout=w.Layout(width="100%", max_width="40em"))
        send, clear = w.Button(description="Send to everyone", button_style="primary"), w.Button(description="Clear")
        send.on_click(lambda _b: self.room.say(self.message.value))
        clear.on_click(lambda _b: (self.room.say(""), setattr(self.message, "value", "")))
        choices = [("Nothing yet", "")] + [(f"{content.notebook(owner).title}: {item.title}", item.id)
                                          for owner in content.PARTICIPANT_NOTEBOOKS[:-1]
                                          for item in content.notebook(owner).exercises if item.kind in PROJECTABLE]
        self.projected = w.Dropdown(options=choices, value=self.room.pace.projected or "",
                                    description="Projector", layout=w.Layout(width="100%", max_width="40em"))
        self.projected.observe(lambda change: self.room.project(change["new"]), names="value")
        links = w.HTML("<p><a href='/facilitator/projector' target='_blank' rel='noopener'>Open the projector view "
                       "(full screen on the projector)</a></p>")
        return [w.HTML("<h2>Pace</h2><p class='em-hint'>Pressed: open. Participants see a locked lesson as "
                       "\"We'll open this together soon\".</p>"),
                w.HBox(locks, layout=w.Layout(flex_flow="row wrap")),
                w.HBox([self.message, send, clear], layout=w.Layout(flex_flow="row wrap", align_items="center")),
                self.projected, links, w.HTML("<h2>The room</h2>")]

    def fingerprint(self) -> tuple:
        return journal_fingerprint(self.journal.directory), self.room.version, self.online()

    def refresh_if_changed(self, run_in_tab: Callable[[Callable[[], None]], None]) -> None:
        """Recompute (outside the tab's lock) only when something changed, then show it in the tab."""
        seen = self.fingerprint()
        if seen == self._seen:
            return
        figures = figures_for(self.journal.directory, seen[0])
        self._seen = seen
        run_in_tab(lambda: self.show(figures))

    def show(self, figures: RoomFigures) -> None:
        self.figures = figures
        projected = self.room.pace.projected
        if self.projector:
            self.board.value = projector_html(projected, figures)
        else:
            self.board.value = progress_html(figures, self.online())
        cards = wall_cards(projected, figures, self.room.pace.hidden)
        self.wall.children = [self._card(key, text) for key, text in cards] if self.projector else []

    def _card(self, key: str, text: str) -> w.Widget:
        hide = w.Button(description="Hide", tooltip="Take this card off the wall", icon="eye-slash")
        hide.on_click(lambda _b: self.room.hide(key))
        card = w.VBox([w.HTML(Markup("<div class='em-wall-text'>{}</div>").format(text)), hide])
        card.add_class("em-wall-card")
        return card

    def keep_live(self, stop: threading.Event, run_in_tab: Callable[[Callable[[], None]], None]) -> None:
        """The tab's own loop: at most one look a second, until the tab closes."""
        while not stop.is_set():
            try:
                self.refresh_if_changed(run_in_tab)
            except Exception:  # noqa: BLE001 - a failed refresh must not end the live view; it retries
                log.exception("The console could not refresh")
            stop.wait(LIVE_SECONDS)
