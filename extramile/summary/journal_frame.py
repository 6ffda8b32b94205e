"""The journal as one pandas frame: every current entry read once, one row each, answers unpacked.

The summary's figures (extramile.summary.metrics), the report and the console all
start from this frame, so two rules hold here, by construction rather than by
the caller's care:

- Private words never leave this module: `load_frame` keeps an entry's text
  only when the participant ticked "share with my team". Private entries still
  count toward progress.
- One answer per person and question: when two tabs left two current
  versions of the same answer, only the newest counts.
- A shared answer the facilitator hid (extramile.room.room_state) loses its words
  here too; only the console keeps them (`keep_hidden`), to put a card back.

A scenario's row holds the first instinct (`first_choice`: the first choice
saved) and a second vote's (`second_choice`), as the options' places.

Pandas only: no widgets, no HTML, no charts.
"""

from __future__ import annotations

import gc
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from extramile.content import Catalog, ExerciseInfo, weeks
from extramile.content.answer_models import LESSON_ANSWERS, WEEKLY_ANSWERS, Answer, ProfileAnswer
from extramile.content.weeks import REVIEW_STATUSES
from extramile.identity.teams import current_team, one_spelling_per_team
from extramile.store.journal import KINDS, Problem, ReadProblems
from extramile.store.journal_store import JournalStore
from extramile.store.room_file import hidden_answers
from extramile.summary import disclosure

MIN_GROUP = disclosure.MIN_ANSWERS  # members below which a team's shared text is counted, not shown
NO_TEAM = "(no team)"

# The weekly journal's fixed exercise ids, by what they hold.
WEEKLY_ITEMS = {weeks.STORY: "story", weeks.HABITS: "habits", weeks.CHECKIN: "checkin",
                weeks.REVIEW: "review", weeks.COMMITMENT: "plan"}
_ITEM_ANSWERS: dict[str, type[Answer]] = {item: WEEKLY_ANSWERS[ident] for ident, item in WEEKLY_ITEMS.items()}
_ITEM_ANSWERS["profile"] = ProfileAnswer


@dataclass
class LoadReport:
    """What reading the journals found besides entries: counted, never fatal."""

    location: str  # the folder or the service the journals were read from
    files: int = 0
    entries: int = 0
    participants: int = 0
    skipped: list[Problem] = field(default_factory=list)
    unknown_exercises: Counter = field(default_factory=Counter)
    unknown_kinds: Counter = field(default_factory=Counter)

    def problems(self) -> list[str]:
        """One sentence per kind of problem, e.g. '3 lines skipped in 2 files'."""
        notes = []
        if self.skipped:
            notes.append(ReadProblems(self.skipped).summary())
        if self.unknown_exercises:
            notes.append(_count_of(self.unknown_exercises, "entry for an unknown exercise",
                                   "entries for unknown exercises"))
        if self.unknown_kinds:
            notes.append(_count_of(self.unknown_kinds, "entry of an unknown kind",
                                   "entries of unknown kinds"))
        return notes

    def summary(self) -> str:
        found = (f"{self.participants:,} participant{_s(self.participants)}, "
                 f"{self.entries:,} entr{'y' if self.entries == 1 else 'ies'} "
                 f"in {self.files:,} journal file{_s(self.files)}")
        return "; ".join([found, *self.problems()])


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _count_of(counter: Counter, one: str, many: str) -> str:
    total = sum(counter.values())
    names = ", ".join(str(k) for k, _ in counter.most_common(3))
    more = ", ..." if len(counter) > 3 else ""
    return f"{total:,} {one if total == 1 else many} ({names}{more})"


def load_frame(journal: JournalStore, progress: bool = False, catalog: Catalog | None = None,
               keep_hidden: bool = False) -> tuple[pd.DataFrame, LoadReport]:
    """Every current entry as one row, with its answer unpacked into typed columns.

    Entries the content no longer knows, unknown kinds and unreadable lines are
    counted in the LoadReport and left out. A participant's team is the one in
    their newest profile entry (they may have changed team), so all their
    entries count for the team they are in now.
    """
    catalog = catalog or Catalog.from_content()
    report = LoadReport(journal.location)
    already_skipped = len(journal.problems.items)
    files = journal.files()
    report.files = len(files)
    if progress:
        from tqdm import tqdm

        files = tqdm(files, desc="Reading journals", unit="file", file=sys.stderr, disable=None)

    rows = _Rows(catalog, report)
    if not keep_hidden:
        rows.hidden = hidden_answers(journal.directory)
    with _no_cyclic_gc():
        for path in files:
            rows.answers.clear()  # one file is one participant's: a repeat can only be within it
            entries = journal.entries_in(path)
            for entry in entries:
                rows.add(entry)
            rows.settle_teams(entries)
        frame = rows.frame()
    report.entries = len(frame)
    report.participants = frame["participant"].nunique()
    report.skipped = journal.problems.items[already_skipped:]
    return frame, report


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Reading makes ~100k small objects and no cycles; the collector would only walk them again and again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_ITEMS = ("profile", "lesson", "story", "habits", "checkin", "review", "plan")
_ITEM_OF_KIND = {"weekly": "story", "habit": "habits", "checkin": "checkin"}
_KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}
_ITEM_CODES = {item: code for code, item in enumerate(_ITEMS)}
_NUMBERS = ("value", "first_choice", "second_choice", "best", "mindset")
_DETAILS = ("measure", "moment", "status", "commitment", "shared_parts", "card")
_NUMBER = (int, float)  # by exact type: True is not a rating
_NO_ANSWER: dict = {}


def _number(raw: object) -> float | None:
    return float(raw) if type(raw) in _NUMBER else None


def _text_or_none(raw: object) -> str | None:
    return raw if type(raw) is str else None


# How each column the answer models name (answer_models.Figure) is typed here; anything else is left out.
_CELL = {
    **dict.fromkeys(_NUMBERS, _number), "measure": lambda raw: raw, "moment": lambda raw: raw,
    "status": lambda raw: raw if raw in REVIEW_STATUSES else None, "commitment": _text_or_none,
    "week": _text_or_none, "values": lambda raw: raw if type(raw) is dict else None,
}


def _fields(model: type[Answer]) -> tuple[tuple[str, str, Callable[[object], object]], ...] | None:
    """(field, column, how the column types it) of a model's figures; None when the model reads its cells itself."""
    if model.cells.__func__ is not Answer.cells.__func__:
        return None
    return tuple((name, column, _CELL[column]) for name, column in model.columns())


class _Rows:
    """Collects the frame's columns entry by entry, as cheaply as Python allows.

    Every entry has the few dense fields (kept as one tuple per row); the
    answer's fields are sparse (a scale value, a review's status...) and are
    kept as (row, value) pairs. The facilitator's view reads a thousand
    journals on every refresh, so this matters.
    """

    def __init__(self, catalog: Catalog, report: LoadReport) -> None:
        self.catalog = catalog
        self.report = report
        self.dense: list[tuple] = []
        self.sparse: dict[str, tuple[list[int], list]] = {name: ([], []) for name in _NUMBERS + _DETAILS}
        self.sparse["values"] = ([], [])  # weekly habits: one dict per row, spread over a column per habit
        self.team_now: dict[str, str] = {}
        self.people: set[str] = set()  # who wrote the file being read
        self.routes: dict[tuple, tuple] = {}
        self.answers: set[tuple] = set()  # (kind, exercise, week, commitment) seen in the file being read
        self.repeated = False  # two current versions of one answer: see _one_per_answer
        self.hidden: frozenset[str] = frozenset()  # entry ids whose shared words stay out

    def _put(self, name: str, value: object) -> None:
        if value is not None:
            rows, values = self.sparse[name]
            rows.append(len(self.dense))
            values.append(value)

    def add(self, entry: dict) -> None:
        get = entry.get
        kind, exercise = get("kind"), get("exercise")
        try:
            item, codes, info, model, fields = self.routes[kind, exercise]
        except (KeyError, TypeError):
            route = self._route(kind, exercise)
            if route is None:
                return
            item, codes, info, model, fields = route
        answer = get("answer")
        if type(answer) is not dict:
            answer = _NO_ANSWER
        participant = entry["participant"]
        if type(participant) is not str:
            participant = str(participant)
        self.people.add(participant)
        team = get("team")
        if type(team) is not str or not team:
            team = NO_TEAM
        shared = get("shared") is True
        week, commitment = self._figures(answer, info, model, fields)
        if shared:
            self._shared(get("id"), model.shared_parts(answer))
        if item != "profile":  # a profile is not an answer: the newest one gives the team
            key = (codes[0], codes[2], week, commitment)
            if key in self.answers:
                self.repeated = True
            else:
                self.answers.add(key)
        self.dense.append((participant, team, *codes, get("at"), week, shared))

    def _figures(self, answer: dict, info: ExerciseInfo | None, model: type[Answer],
                 fields: tuple | None) -> tuple[str | None, str | None]:
        """Put the answer's figures in their columns, as its model names them; (week, commitment) for the answer key."""
        if fields is None:  # the model reads its cells itself (a scenario's places, a scale's defaults)
            cells = [(column, _CELL[column](raw)) for column, raw in model.cells(answer, info).items()]
        else:
            cells = [(column, clean(answer.get(name))) for name, column, clean in fields]
        week = commitment = None
        for column, value in cells:
            if column == "week":
                week = value
            elif value is not None:
                if column == "commitment":
                    commitment = value
                rows, values = self.sparse[column]
                rows.append(len(self.dense))
                values.append(value)
        return week, commitment

    def settle_teams(self, entries: list[dict]) -> None:
        """After one journal file: its owner counts for the team they are in now (teams.current_team)."""
        for participant in self.people:
            own = entries if len(self.people) == 1 else [e for e in entries if str(e["participant"]) == participant]
            self.team_now[participant] = current_team(own) or NO_TEAM
        self.people.clear()

    def _shared(self, entry_id: object, parts: tuple[tuple[str, str], ...] | None) -> None:
        """A shared answer's words and its card (the entry id moderation names it by), unless it was hidden."""
        if parts is not None and not (type(entry_id) is str and entry_id in self.hidden):
            self._put("shared_parts", parts)
            self._put("card", entry_id if type(entry_id) is str else None)

    def _route(self, kind: object, exercise: object) -> tuple | None:
        """What an entry of this kind and exercise is (remembered); None, counted, if we cannot use it."""
        info = model = None
        if not isinstance(kind, str) or kind not in _KIND_CODES:
            self.report.unknown_kinds[str(kind)] += 1
            return None
        if kind == "profile":
            item = "profile"
        elif kind == "exercise" or (kind == "commitment" and exercise not in WEEKLY_ITEMS):
            info = self.catalog.exercises.get(exercise) if isinstance(exercise, str) else None
            item = "lesson"
            model = LESSON_ANSWERS.get(info.kind) if info is not None else None
        else:
            item = WEEKLY_ITEMS.get(exercise) if isinstance(exercise, str) else None
            item = item or _ITEM_OF_KIND.get(kind)
        model = model or _ITEM_ANSWERS.get(item)
        if model is None:
            self.report.unknown_exercises[str(exercise)] += 1
            return None
        route = (item, (_KIND_CODES[kind], _ITEM_CODES[item], exercise if isinstance(exercise, str) else None,
                        info.notebook if info else None), info, model, _fields(model))
        if isinstance(exercise, (str, type(None))):
            self.routes[kind, exercise] = route
        return route

    def frame(self) -> pd.DataFrame:
        count = len(self.dense)
        participant, entry_team, kind, item, exercise, notebook, at, week, shared = (
            zip(*self.dense) if count else ((),) * 9)
        rename = one_spelling_per_team(set(self.team_now.values()) | set(entry_team), entry_team, at)
        if rename:
            self.team_now = {p: rename[t] for p, t in self.team_now.items()}
            entry_team = [rename[t] for t in entry_team]
        team = [self.team_now[p] for p in participant]
        sizes = Counter(self.team_now.values())
        team_size = np.array([sizes[t] for t in team], dtype=int)
        frame = pd.DataFrame({
            "participant": _objects(participant),
            "team": _objects(team),
            "team_size": team_size,
            "small_team": team_size < MIN_GROUP,
            "entry_team": _objects(entry_team),
            "kind": pd.Categorical.from_codes(np.array(kind, dtype=np.int8), categories=KINDS),
            "item": pd.Categorical.from_codes(np.array(item, dtype=np.int8), categories=_ITEMS),
            "exercise": _objects(exercise),
            "notebook": _objects(notebook),
            "at": pd.to_datetime(pd.Series(at, dtype=object), format="ISO8601", utc=True, errors="coerce"),
            "week": _objects(week),
            "shared": np.array(shared, dtype=bool),
        })
        for name in _NUMBERS:
            column = np.full(count, np.nan)
            rows, values = self.sparse[name]
            column[rows] = values
            column[~np.isfinite(column)] = np.nan  # a NaN or Infinity typed into a file by hand
            frame[name] = column
        for name in _DETAILS:
            column = np.full(count, None, dtype=object)
            rows, values = self.sparse[name]
            column[rows] = values
            frame[name] = pd.Series(column, dtype=object)
        frame["date"] = _entry_dates(frame)
        habit_ids = [h.id for h in self.catalog.habits]
        habit_rows, habit_values = self.sparse["values"]
        ticks = pd.DataFrame.from_records(habit_values, columns=habit_ids)
        for habit in habit_ids:
            column = np.full(count, np.nan)
            if len(ticks):
                numbers = pd.to_numeric(ticks[habit], errors="coerce").to_numpy(dtype=float, copy=True)
                numbers[~np.isfinite(numbers)] = np.nan
                column[habit_rows] = numbers
            frame[f"habit:{habit}"] = column
        return _one_per_answer(frame) if self.repeated else frame


_ANSWER_KEY = ["participant", "kind", "exercise", "week", "commitment"]


def _one_per_answer(frame: pd.DataFrame) -> pd.DataFrame:
    """The newest of several current versions of one answer: two tabs may each have replaced the same one."""
    newest_last = frame.sort_values("at", kind="stable", na_position="first")
    repeated = newest_last.duplicated(_ANSWER_KEY, keep="last") & (newest_last["item"] != "profile")
    return frame.drop(index=newest_last.index[repeated.to_numpy()]).reset_index(drop=True)


def _objects(values: Sequence[object]) -> pd.Series:
    """Plain Python objects: pandas' str dtype would cost a conversion per refresh and buys nothing here."""
    return pd.Series(np.array(values, dtype=object), dtype=object)


def _entry_dates(frame: pd.DataFrame) -> np.ndarray:
    """The day an entry is about: the Monday of its ISO week for weekly entries, else the day it was saved."""
    saved = frame["at"].dt.tz_convert(None).dt.normalize().to_numpy(dtype="datetime64[ns]")
    codes, weeks_seen = pd.factorize(frame["week"])
    mondays = np.array([_monday(week) for week in weeks_seen] + [_NOT_A_DAY], dtype="datetime64[ns]")
    weekly = mondays[codes]  # code -1 (no week) picks the NaT at the end
    return np.where(np.isnat(weekly), saved, weekly)


_NOT_A_DAY = np.datetime64("NaT", "ns")


def _monday(week: str) -> np.datetime64:
    return np.datetime64(weeks.monday(week), "ns") if weeks.is_week(week) else _NOT_A_DAY
