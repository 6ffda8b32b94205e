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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from extramile.content import Catalog, ExerciseInfo, weeks
from extramile.content.answer_models import LESSON_ANSWERS, WEEKLY_ANSWERS, Answer, ProfileAnswer
from extramile.content.weeks import REVIEW_STATUSES
from extramile.identity.teams import current_team, one_spelling_per_team
from extramile.store.journal import KINDS
from extramile.store.journal_store import JournalStore
from extramile.store.room_file import hidden_answers
from extramile.summary import disclosure
from extramile.summary.load_report import LoadReport

MIN_GROUP = disclosure.MIN_ANSWERS  # members below which a team's shared text is counted, not shown
NO_TEAM = "(no team)"

# The weekly journal's fixed exercise ids, by what they hold.
WEEKLY_ITEMS = {weeks.STORY: "story", weeks.HABITS: "habits", weeks.CHECKIN: "checkin",
                weeks.REVIEW: "review", weeks.COMMITMENT: "plan"}
_ITEM_ANSWERS: dict[str, type[Answer]] = {item: WEEKLY_ANSWERS[ident] for ident, item in WEEKLY_ITEMS.items()}
_ITEM_ANSWERS["profile"] = ProfileAnswer


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
    with no_cyclic_gc():
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
def no_cyclic_gc() -> Iterator[None]:
    """Reading makes ~100k small objects and no cycles; the collector would only walk them again and again.

    Also for the console's figures, made again on every save: in a server
    holding forty pages' widgets, each collection walks all of those too.
    """
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
_NO_ANSWER: dict = {}


# What each column the answer models name (answer_models.Figure) keeps of a raw value: values of these exact
# types (True is not a rating), or any value but None (None here). A review's status is a str here;
# `frame` keeps only the review's own words.
_KEEPS: dict[str, tuple[type, ...] | None] = {
    **dict.fromkeys(_NUMBERS, (int, float)), "measure": None, "moment": None,
    "status": (str,), "commitment": (str,), "week": (str,), "values": (dict,),
}


def _kept(column: str, raw: object) -> object:
    """A raw value as its column keeps it, else None."""
    keeps = _KEEPS[column]
    return raw if keeps is None or type(raw) in keeps else None


@dataclass(frozen=True, slots=True)
class _Route:
    """What an entry of one kind and exercise is, worked out once per (kind, exercise) and reused.

    `sinks` name, for each figure the model stores under its own field, where it
    goes (the sparse column's rows and values, and what that column keeps).
    None when the model reads its cells itself (a scenario's places, a scale's defaults).
    """

    item: str
    codes: tuple
    info: ExerciseInfo | None
    model: type[Answer]
    sinks: tuple[tuple[str, tuple[type, ...] | None, list[int], list], ...] | None
    week: str | None  # the model's field holding the week, if it has one
    commitment: str | None  # the model's field naming the commitment reviewed, if it has one


class _Rows:
    """Collects the frame's columns entry by entry, as cheaply as Python allows.

    Every entry has the few dense fields (kept as one tuple per row); the
    answer's fields are sparse (a scale value, a review's status...) and are
    kept as (row, value) pairs. The facilitator's view reads a thousand
    journals on every refresh, so this matters: each (kind, exercise) is
    routed once, and an entry only looks up the fields its route names.
    """

    def __init__(self, catalog: Catalog, report: LoadReport) -> None:
        self.catalog = catalog
        self.report = report
        self.dense: list[tuple] = []
        self.sparse: dict[str, tuple[list[int], list]] = {name: ([], []) for name in _NUMBERS + _DETAILS}
        self.sparse["values"] = ([], [])  # weekly habits: one dict per row, spread over a column per habit
        self.team_now: dict[str, str] = {}
        self.people: set[str] = set()  # who wrote the file being read
        self.routes: dict[tuple, _Route] = {}
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
            route = self.routes[kind, exercise]
        except (KeyError, TypeError):
            route = self._route(kind, exercise)
            if route is None:
                return
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
        if route.sinks is None:
            week, commitment = self._cells(answer, route)
        else:  # inline, not a method: this runs a hundred thousand times a refresh
            row, figure = len(self.dense), answer.get
            for name, keeps, rows, values in route.sinks:
                value = figure(name)
                if value is not None and (keeps is None or type(value) in keeps):
                    rows.append(row)
                    values.append(value)
            week = figure(route.week) if route.week else None
            commitment = figure(route.commitment) if route.commitment else None
            week = week if type(week) is str else None
            commitment = commitment if type(commitment) is str else None
        if shared:
            self._shared(get("id"), route.model.shared_parts(answer))
        codes = route.codes
        if route.item != "profile":  # a profile is not an answer: the newest one gives the team
            key = (codes[0], codes[2], week, commitment)
            if key in self.answers:
                self.repeated = True
            else:
                self.answers.add(key)
        self.dense.append((participant, team, *codes, get("at"), week, shared))

    def _cells(self, answer: dict, route: _Route) -> tuple[str | None, str | None]:
        """The figures of a model that reads its own cells (answer_models.Answer.cells), put as its route's sinks do."""
        week = commitment = None
        for column, raw in route.model.cells(answer, route.info).items():
            value = _kept(column, raw)
            if column == "week":
                week = value
            elif value is not None:
                if column == "commitment":
                    commitment = value
                self._put(column, value)
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

    def _route(self, kind: object, exercise: object) -> _Route | None:
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
        fields = {column: name for name, column in model.columns()}
        own_cells = model.cells.__func__ is not Answer.cells.__func__
        route = _Route(
            item, (_KIND_CODES[kind], _ITEM_CODES[item], exercise if isinstance(exercise, str) else None,
                   info.notebook if info else None), info, model,
            None if own_cells else tuple((name, _KEEPS[column], *self.sparse[column])
                                         for column, name in fields.items() if column != "week"),
            fields.get("week"), fields.get("commitment"))
        if isinstance(exercise, (str, type(None))):
            self.routes[kind, exercise] = route
        return route

    def _habit_columns(self, count: int) -> dict[str, np.ndarray]:
        """A column per habit of the catalog ("habit:<id>"): each week's count or tick, NaN where none."""
        habit_ids = [h.id for h in self.catalog.habits]
        habit_rows, habit_values = self.sparse["values"]
        ticks = pd.DataFrame.from_records(habit_values, columns=habit_ids)
        columns = {}
        for habit in habit_ids:
            column = np.full(count, np.nan)
            if len(ticks):
                numbers = pd.to_numeric(ticks[habit], errors="coerce").to_numpy(dtype=float, copy=True)
                numbers[~np.isfinite(numbers)] = np.nan
                column[habit_rows] = numbers
            columns[f"habit:{habit}"] = column
        return columns

    def frame(self) -> pd.DataFrame:
        count = len(self.dense)
        participant, entry_team, kind, item, exercise, notebook, at, week, shared = (
            zip(*self.dense) if count else ((),) * 9)
        rename = one_spelling_per_team(set(self.team_now.values()) | set(entry_team), entry_team, at)
        if rename:
            self.team_now = {p: rename[t] for p, t in self.team_now.items()}
            entry_team = [rename[t] for t in entry_team]
        people, person = _factorized(participant)  # a person's team and its size, looked up once per person
        sizes = Counter(self.team_now.values())
        team_of = [self.team_now[p] for p in people]
        team = np.array(team_of, dtype=object)[person]
        team_size = np.array([sizes[t] for t in team_of], dtype=int)[person]
        at = pd.to_datetime(pd.Series(at, dtype=object), format="ISO8601", utc=True, errors="coerce")
        week = _objects(week)
        columns = {
            "participant": _objects(participant),
            "team": _objects(team),
            "team_size": team_size,
            "small_team": team_size < MIN_GROUP,
            "entry_team": _objects(entry_team),
            "kind": pd.Categorical.from_codes(np.array(kind, dtype=np.int8), categories=KINDS),
            "item": pd.Categorical.from_codes(np.array(item, dtype=np.int8), categories=_ITEMS),
            "exercise": _objects(exercise),
            "notebook": _objects(notebook),
            "at": at,
            "week": week,
            "shared": np.array(shared, dtype=bool),
        }
        for name in _NUMBERS:
            column = np.full(count, np.nan)
            rows, values = self.sparse[name]
            column[rows] = values
            column[~np.isfinite(column)] = np.nan  # a NaN or Infinity typed into a file by hand
            columns[name] = column
        for name in _DETAILS:
            column = np.full(count, None, dtype=object)
            rows, values = self.sparse[name]
            column[rows] = values
            columns[name] = pd.Series(column, dtype=object)
        status = columns["status"]
        columns["status"] = status.where(status.isin(REVIEW_STATUSES), None)
        columns["date"] = _entry_dates(at, week)
        columns.update(self._habit_columns(count))
        frame = pd.DataFrame(columns)
        return _one_per_answer(frame) if self.repeated else frame


_ANSWER_KEY = ["participant", "kind", "exercise", "week", "commitment"]


def _one_per_answer(frame: pd.DataFrame) -> pd.DataFrame:
    """The newest of several current versions of one answer: two tabs may each have replaced the same one."""
    newest_last = frame.sort_values("at", kind="stable", na_position="first")
    repeated = newest_last.duplicated(_ANSWER_KEY, keep="last") & (newest_last["item"] != "profile")
    return frame.drop(index=newest_last.index[repeated.to_numpy()]).reset_index(drop=True)


def _factorized(values: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct values, each row's place among them)."""
    codes, distinct = pd.factorize(np.fromiter(values, dtype=object, count=len(values)))
    return distinct, codes


def _objects(values: Sequence[object]) -> pd.Series:
    """Plain Python objects: pandas' str dtype would cost a conversion per refresh and buys nothing here."""
    return pd.Series(np.fromiter(values, dtype=object, count=len(values)), dtype=object)


def _entry_dates(at: pd.Series, week: pd.Series) -> np.ndarray:
    """The day an entry is about: the Monday of its ISO week for weekly entries, else the day it was saved."""
    saved = at.dt.tz_convert(None).dt.normalize().to_numpy(dtype="datetime64[ns]")
    codes, weeks_seen = pd.factorize(week)
    mondays = np.array([_monday(week) for week in weeks_seen] + [_NOT_A_DAY], dtype="datetime64[ns]")
    weekly = mondays[codes]  # code -1 (no week) picks the NaT at the end
    return np.where(np.isnat(weekly), saved, weekly)


_NOT_A_DAY = np.datetime64("NaT", "ns")


def _monday(week: str) -> np.datetime64:
    return np.datetime64(weeks.monday(week), "ns") if weeks.is_week(week) else _NOT_A_DAY
