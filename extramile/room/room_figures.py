"""What the facilitator's console knows of the room, as plain data, read from the journal once per change.

The figures are the summary's and the report's (extramile.summary.metrics and
extramile.summary.choices, by the rules of extramile.summary.disclosure), so the same privacy
rules hold: private text never appears, a figure waits for enough answers
(three in a team, five for the room, pooled only from teams whose own figure
shows), shares go in steps of 10% and add up to 100%, and no name is ever
shown beside an answer. The console keeps itself live (LiveFigures): once a
second it looks at the journal folder (file sizes and times, no reading) and
reads the journal again only when something was saved, once for all its tabs,
so an idle console costs the server next to nothing and a busy room is
recomputed at most once a second.

Nothing here is HTML or a widget: the room view's table is drawn by
extramile.room.console, the projector by extramile.room.projector, the controls by
extramile.room.console_view, all from these figures.
"""


from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from extramile import content
from extramile.content import weeks
from extramile.store.journal import Journal

if TYPE_CHECKING:
    import pandas as pd

    from extramile.summary.choices import Spread, Votes

PROJECTABLE = ("scenario", "scale", "reflection", "reframe", "commitment", "roleplay")


@dataclass(frozen=True)
class Projectable:
    """An exercise the projector can show: its id, kind ("story" for the weekly story) and title."""

    id: str
    kind: str
    title: str
    label: str  # as the console's menu lists it
    exercise: content.Scenario | content.Scale | None = None


@cache
def projectables() -> dict[str, Projectable]:
    """Every exercise of the day the projector can show, in the order of the day, then the weekly story."""
    found = {}
    for owner in content.PARTICIPANT_NOTEBOOKS[:-1]:
        notebook = content.notebook(owner)
        for item in notebook.exercises:
            if item.kind in PROJECTABLE:
                found[item.id] = Projectable(item.id, item.kind, item.title, f"{notebook.title}: {item.title}", item)
    weekly = content.weekly_journal()
    found[weeks.STORY] = Projectable(weeks.STORY, "story", weekly.extra_mile_story.title,
                                     f"{weekly.title}: {weekly.extra_mile_story.title}")
    return found


def journal_fingerprint(directory: Path) -> tuple:
    """What changes whenever anyone saves: every journal file's name, size and change time."""
    try:
        with os.scandir(directory) as entries:
            return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns)
                                for e in entries if e.name.endswith(".jsonl")))
    except OSError:
        return ()


@dataclass(frozen=True)
class PageProgress:
    """One team's answers on one page of the day, out of its members times the page's exercises."""

    answered: int
    possible: int

    @property
    def share(self) -> float:
        return self.answered / self.possible if self.possible else 0.0


@dataclass(frozen=True)
class TeamProgress:
    team: str
    signed_in: int
    members: int
    pages: tuple[PageProgress, ...]  # in the order of Progress.pages


@dataclass(frozen=True)
class Progress:
    """The room view's table as plain data: the pages of the day, then a row per team."""

    pages: tuple[str, ...]  # each page's label, in the order of the day
    teams: tuple[TeamProgress, ...]


@dataclass(frozen=True)
class WallCard:
    """A shared answer to one exercise: the journal entry id moderation names it by, its words, no name."""

    key: str
    text: str


class RoomFigures:
    """Everything the console shows, read once per change in the journal, each figure made when first asked for.

    The room view needs progress, the projector one exercise's figure: neither
    pays for the other's. Every console tab of the server shares one set per
    version of the journal (LiveFigures), so a laptop and a projector cost one.
    Hidden cards are kept here (the console can put them back); the views
    leave them out.
    """

    def __init__(self, journal: Journal) -> None:
        from extramile.summary import choices, journal_frame, metrics  # pandas: loaded only once a facilitator opens it

        self._metrics, self._choices = metrics, choices
        self.catalog = _catalog()
        self._frame, _loaded = journal_frame.load_frame(journal, catalog=self.catalog, keep_hidden=True)
        self._made: dict[tuple, object] = {}

    def _once(self, key: tuple, make: Callable[[], object]) -> object:
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    @cached_property
    def _members(self) -> pd.DataFrame:
        return self._metrics.members_signed_in(self._frame)

    @cached_property
    def _shared(self) -> pd.DataFrame:
        return self._metrics.shared_answers(self._frame, self._metrics.team_sizes(self._members))

    def _shared_to(self, exercise_id: str, since: str) -> pd.DataFrame:
        rows = self._shared[(self._shared["exercise"] == exercise_id).to_numpy()]
        return self._choices.since(rows, since)

    @cached_property
    def progress(self) -> Progress:
        """Per team: who signed in, and each page's answers out of possible; one pass over the figures."""
        completion = self._metrics.completion_by_team_lesson(self._frame, self.catalog)
        labels = dict(zip(completion["notebook"], completion["label"]))
        cells = {(r.team, r.notebook): (int(r.answered), int(r.possible)) for r in completion.itertuples()}
        return Progress(tuple(labels.values()), tuple(
            TeamProgress(r.team, int(r.signed_in), int(r.members),
                         tuple(PageProgress(*cells.get((r.team, page), (0, 0))) for page in labels))
            for r in self._members.itertuples()))

    def votes(self, exercise_id: str, since: str) -> Votes:
        info = self.catalog.exercises[exercise_id]
        return self._once(("votes", exercise_id, since), lambda: self._choices.scenario_votes(self._frame, info, since))

    def scale(self, measure: str, since: str) -> dict[str, Spread]:
        return self._once(("scale", measure, since), lambda: self._choices.scale_spreads(self._frame, measure, since))

    def answered(self, exercise_id: str, since: str) -> dict[str, int]:
        """People per team who answered an exercise since its last Reset."""
        return self._once(("answered", exercise_id, since),
                          lambda: self._choices.answered_per_team(self._frame, exercise_id, since))

    def cards(self, exercise_id: str, since: str) -> list[WallCard]:
        """The shared answers to one exercise since its last Reset, newest first, from teams of three or more."""
        def make() -> list[WallCard]:
            rows = self._shared_to(exercise_id, since)
            rows = rows[(~rows["small"] & rows["card"].notna()).to_numpy()]
            rows = rows.sort_values("at", ascending=False, kind="stable")
            return [WallCard(key, self._metrics.plain_text(parts))
                    for key, parts in zip(rows["card"], rows["shared_parts"])]
        return self._once(("cards", exercise_id, since), make)

    def withheld(self, exercise_id: str, since: str) -> int:
        """Shared answers to an exercise from teams under three members: counted on the wall, never shown."""
        return self._once(("withheld", exercise_id, since),
                          lambda: int(self._shared_to(exercise_id, since)["small"].sum()))


@cache
def _catalog() -> content.Catalog:
    """The exercises as the console knows them: read once, like projectables(); content is fixed while serving."""
    return content.Catalog.from_content()


class LiveFigures:
    """The journal's figures now, for every console tab of the server: one look at a time, one reading per version.

    The tabs look on the second (extramile.room.console_view), so a laptop's
    and a projector's looks fall together: the first looks at the folder and,
    if something was saved, reads the journal; the other, a moment later,
    takes the same figures. The folder is looked at before it is read, so a
    save made while reading shows at the next look.
    """

    FRESH_SECONDS = 0.25  # a look this recent answers for the tabs that look after it

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._looked = float("-inf")
        self._seen: tuple | None = None
        self._figures: RoomFigures | None = None

    def now(self) -> tuple[tuple, RoomFigures]:
        """(the journal's fingerprint, its figures), looking again only if the last look is not fresh."""
        with self._lock:
            if self._figures is None or time.monotonic() - self._looked >= self.FRESH_SECONDS:
                self._looked = time.monotonic()
                seen = journal_fingerprint(self.directory)
                if seen != self._seen or self._figures is None:
                    self._figures, self._seen = RoomFigures(Journal(self.directory)), seen
            return self._seen, self._figures


@cache
def live_figures(directory: Path) -> LiveFigures:
    """The one LiveFigures of a journal folder, shared by every console tab."""
    return LiveFigures(directory)
