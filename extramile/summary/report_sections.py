"""The report's sections as plain data: each heading's title, how to read it, its table, chart and wall.

Every number comes from extramile.summary.metrics (the day) and
extramile.summary.weekly_metrics (the weeks after), every chart from
extramile.summary.charts. Nothing here is HTML: the report (extramile.summary.report) and
the live summary notebook (extramile.summary.summary_view) draw these sections with
the same autoescaped templates, so nothing here can forget to escape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from extramile.content import Catalog
from extramile.summary import charts, choices, metrics, weekly_metrics
from extramile.summary.disclosure import MIN_ANSWERS, MIN_POOLED_ANSWERS
from extramile.summary.journal_frame import MIN_GROUP
from extramile.summary.metrics import ALL_TEAMS, EVERYTHING, Window

WALL_PER_TEAM = 12
LONG_TABLE = 25  # rows; a longer table scrolls on screen and prints in full
MEAN = "{:.0f}"  # extramile.summary.disclosure shows means as whole numbers


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, and a small gray label beside it (a team's "counts only")."""

    text: object
    badge: str | None = None


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    css: str = ""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[Row]
    numeric: frozenset[int] = frozenset()

    @property
    def long(self) -> bool:
        return len(self.rows) > LONG_TABLE


@dataclass(frozen=True)
class Chart:
    png: str  # base64
    alt: str


@dataclass(frozen=True)
class WallCard:
    what: str
    paragraphs: list[tuple[str, str]]  # (label, line); a label only on the first line of each part


@dataclass(frozen=True)
class WallTeam:
    name: str
    shown: str  # "12 newest of 30", or for a small team the sentence that says why nothing is shown
    counts_only: bool = False
    cards: list[WallCard] = field(default_factory=list)


@dataclass(frozen=True)
class ReportSection:
    """One heading of the report: a title, a sentence on how to read it, and what it shows, as data.

    The templates draw it; nothing here is HTML, so nothing here can forget to escape.
    """

    title: str
    intro: str
    empty: str | None = None
    chart: Chart | None = None
    note: str | None = None
    table: Table | None = None
    wall: list[WallTeam] = field(default_factory=list)


def _num(value: object, pattern: str = "{:.1f}", missing: str = "–") -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return missing
    return pattern.format(value)


def _table(headers: list[str], rows: list[list], numeric: set[int] = frozenset(),
           row_classes: list[str] | None = None) -> Table:
    """A table from plain rows; cells given as (text, badge) get a small gray label."""
    classes = row_classes or [""] * len(rows)
    return Table(headers, [Row([Cell(*cell) if isinstance(cell, tuple) else Cell(cell) for cell in row], css)
                           for row, css in zip(rows, classes)], frozenset(numeric))


def _chart(figure: Figure, alt: str) -> Chart:
    return Chart(charts.figure_to_png_base64(figure), alt)


def _week_mean(mean: float, week: object) -> str:
    return f"{_num(mean, MEAN)} ({week})" if isinstance(week, str) else "–"


def _team_cell(team: str, small: bool) -> str | tuple[str, str]:
    return (team, f"under {MIN_GROUP}: counts only") if small else team


# --- during the workshop --------------------------------------------------------------------------

def workshop_sections(frame: pd.DataFrame, catalog: Catalog, window: Window = EVERYTHING) -> list[ReportSection]:
    return [
        _progress(metrics.members_signed_in(frame, window=window),
                  metrics.completion_by_team_lesson(frame, catalog, window=window)),
        _mindset(metrics.mindset_before_after(frame, window=window)),
        _scenarios(choices.scenario_spread(frame, catalog, window=window)),
    ]


def wall_section(frame: pd.DataFrame, catalog: Catalog, window: Window = EVERYTHING,
                 wall_per_team: int | None = WALL_PER_TEAM) -> ReportSection:
    wall = metrics.shared_wall(frame, catalog, window=window, per_team=wall_per_team)
    return _wall(wall)


def _progress(members: pd.DataFrame, completion: pd.DataFrame) -> ReportSection:
    title = "Sign-ins and progress"
    intro = ("Members are everyone who has saved anything; signed in means their profile is saved. Each page "
             "shows answers saved out of members times exercises. Private answers count too; their words "
             "are never shown.")
    if members.empty:
        return ReportSection(title, intro, empty="Nobody has signed in yet.")
    pages = list(dict.fromkeys(completion["label"]))
    cells = {(r.team, r.label): _share_cell(r.answered, r.possible) for r in completion.itertuples()}
    rows = [[_team_cell(r.team, r.small_team), r.members, r.signed_in, *(cells[r.team, p] for p in pages)]
            for r in members.itertuples()]
    room = completion.groupby("label", sort=False)[["answered", "possible"]].sum()
    rows.append([ALL_TEAMS, int(members["members"].sum()), int(members["signed_in"].sum()),
                 *(_share_cell(room.loc[p, "answered"], room.loc[p, "possible"]) for p in pages)])
    table = _table(["Team", "Members", "Signed in", *pages], rows, numeric=set(range(1, len(pages) + 3)),
                   row_classes=[""] * (len(rows) - 1) + ["emr-room"])
    chart = _chart(charts.completion_chart(completion), "Team by page heat map of exercises answered")
    return ReportSection(title, intro, chart=chart if pages else None, table=table)


def _share_cell(answered: int, possible: int) -> str:
    return f"{answered}/{possible} ({answered / possible:.0%})" if possible else "–"


def _mindset(mindset: pd.DataFrame) -> ReportSection:
    intro = (f"The 1-10 check-ins at the start and the end of the session: mean (answers), in whole numbers. "
             f"A team's mean needs {MIN_ANSWERS} or more answers; {ALL_TEAMS} averages only the teams whose "
             f"own mean is shown, and needs {MIN_POOLED_ANSWERS} or more of their answers. These numbers "
             f"measure how people felt on the day, at the start and at the end; they do not measure the "
             f"workshop's impact, which shows, if at all, in the weekly journal over the following months.")
    if mindset.empty:
        return ReportSection("Mindset before and after", intro, empty="No before/after check-ins yet.")
    names = {"mindset": "Mindset", "best": "Best"}
    measures = list(dict.fromkeys(mindset["measure"]))
    headers, numeric = ["Team"], set()
    for measure in measures:
        name = names.get(measure, measure.capitalize())
        headers += [f"{name} before", f"{name} after", f"{name} change"]
    numeric = set(range(1, len(headers)))
    rows, classes = [], []
    for (_, team), group in mindset.groupby(["scope", "team"], sort=False):
        first = group.iloc[0]
        row = [_team_cell(team, bool(first["counts_only"]) and first["scope"] == "team")]
        by_measure = group.set_index("measure")
        for measure in measures:
            r = by_measure.loc[measure]
            row += [f"{_num(r['before_mean'], MEAN)} ({r['before_n']})",
                    f"{_num(r['after_mean'], MEAN)} ({r['after_n']})",
                    _num(r["change"], "{:+.0f}")]
        rows.append(row)
        classes.append("emr-room" if first["scope"] == "room" else "")
    table = _table(headers, rows, numeric=numeric, row_classes=classes)
    chart = _chart(charts.mindset_chart(mindset), "Before and after means per team")
    return ReportSection("Mindset before and after", intro, chart=chart, table=table)


def _scenarios(spread: pd.DataFrame) -> ReportSection:
    intro = (f"How each person's first saved choice (before its feedback opened) spread over each scenario's "
             f"responses, in steps of 10% that add up to 100%. Only teams where {MIN_ANSWERS} or more answered "
             f"count, and a scenario needs {MIN_POOLED_ANSWERS} or more of their answers; else it shows how many.")
    if spread.empty:
        return ReportSection("Scenarios: how the room chose", intro, empty="No scenarios in the content.")
    rows = []
    for r in spread.itertuples():
        rows.append([f"{r.title} ({r.respondents} answered)" if r.option == 0 else "", r.option_text,
                     _num(r.share, "{:.0%}")])
    table = _table(["Scenario", "Response", "Share"], rows, numeric={2})
    chart = _chart(charts.scenario_chart(spread), "Share of each response per scenario")
    return ReportSection("Scenarios: how the room chose", intro, chart=chart, table=table)


def _wall(wall: pd.DataFrame) -> ReportSection:
    intro = ("What participants ticked \"share with my team\" for, newest first and without names. "
             "Everything else stays private.")
    if wall.empty:
        return ReportSection("The wall", intro, empty="Nothing has been shared yet.")
    teams = []
    for team, group in wall.groupby("team", sort=False):
        total = int(group["total"].iloc[0])
        if bool(group["counts_only"].iloc[0]):
            teams.append(WallTeam(team, f"{total} shared answer{'s' * (total != 1)}; "
                                        f"a team under {MIN_GROUP} shows counts only.", counts_only=True))
            continue
        cards = []
        for r in group.itertuples():
            what = r.title
            if not isinstance(r.week, str) and pd.notna(r.at):
                what = f"{r.title} · {r.at.tz_convert(None):%a %d %b %Y}"
            cards.append(WallCard(what, [line for label, text in r.parts for line in _lines(label, text)]))
        shown = f"{len(group)} newest of {total}" if total > len(group) else f"{total}"
        teams.append(WallTeam(team, shown, cards=cards))
    return ReportSection("The wall", intro, wall=teams)


def _lines(label: str, text: str) -> list[tuple[str, str]]:
    """One part of a shared answer as paragraphs: the label leads its first line only."""
    first, *more = text.split("\n")
    return [(label, first), *(("", line) for line in more)]


# --- over the weeks -------------------------------------------------------------------------------

def weekly_sections(frame: pd.DataFrame, catalog: Catalog, window: Window = EVERYTHING) -> list[ReportSection]:
    return [
        _stories(weekly_metrics.stories_per_week(frame, window=window)),
        _habits(weekly_metrics.habit_heatmap_table(frame, catalog, window=window)),
        _commitments(weekly_metrics.commitments_kept(frame, window=window)),
        _best(weekly_metrics.best_over_time(frame, window=window)),
    ]


def _stories(stories: pd.DataFrame) -> ReportSection:
    intro = ("One extra-mile story a week: recognize it, write it down, learn from it. "
             "Counts of who wrote one.")
    if stories.empty:
        return ReportSection("Weekly stories", intro, empty="No weekly stories yet.")
    totals = weekly_metrics.stories_by_team(stories)
    rows = [[r.team, r.members, r.stories, f"{r.weeks_with_story} of {r.weeks}"] for r in totals.itertuples()]
    table = _table(["Team", "Members", "Stories", "Weeks with a story"], rows, numeric={1, 2, 3})
    chart = _chart(charts.stories_chart(stories), "Team by week heat map of weekly stories")
    return ReportSection("Weekly stories", intro, chart=chart, table=table)


def _habits(habits: pd.DataFrame) -> ReportSection:
    intro = ("Each team's seven habits from the weekly check-in: a count habit counts as practiced when above zero, "
             "a tick habit when ticked. Shares to the nearest 10%; \"not tracked\": not one of that team's seven.")
    if habits.empty or not habits["checkins"].any():
        return ReportSection("Habits", intro, empty="No habit check-ins yet.")
    withheld = habits[habits["counts_only"]].drop_duplicates("team")
    note = None
    if len(withheld):
        listed = ", ".join(f"{t} ({n} check-in{'s' * (n != 1)})"
                           for t, n in zip(withheld["team"], withheld["checkins"]))
        note = f"Counts only (fewer than {MIN_ANSWERS} people checking in): {listed}."
    return ReportSection("Habits", intro, chart=_chart(charts.habits_chart(habits), "Team by habit heat map"),
                         note=note)


def _commitments(kept: pd.DataFrame) -> ReportSection:
    intro = ("Commitments made in the workshop and week by week, and how each one's latest review went, as "
             f"shares of those reviewed (tens, adding up to 100%). Shares need {MIN_ANSWERS} or more people reviewing; "
             f"{ALL_TEAMS} counts in only the teams whose shares are shown.")
    if kept.empty or not (kept["made"].any() or kept["reviewed"].any()):
        return ReportSection("Commitments kept", intro, empty="No commitments yet.")
    rows, classes = [], []
    for r in kept.itertuples():
        rows.append([r.team, r.made, r.reviewed, _num(r.share_kept, "{:.0%}"),
                     _num(r.share_partly, "{:.0%}"), _num(r.share_not_yet, "{:.0%}")])
        classes.append("emr-room" if r.scope == "room" else "")
    table = _table(["Team", "Made", "Reviewed", "Kept", "Partly", "Not yet"], rows,
                   numeric={1, 2, 3, 4, 5}, row_classes=classes)
    chart = _chart(charts.commitments_chart(kept), "Kept, partly and not yet per team")
    return ReportSection("Commitments kept", intro, chart=chart, table=table)


def _best(best: pd.DataFrame) -> ReportSection:
    intro = (f'The weekly "Am I doing my best?" (1-10), averaged per team and week in whole numbers when '
             f"{MIN_ANSWERS} or more people answered; {ALL_TEAMS} averages only the teams shown that week and "
             f"needs {MIN_POOLED_ANSWERS} or more of their answers.")
    if best.empty:
        return ReportSection('"Am I doing my best?" over time', intro, empty="No weekly check-ins yet.")
    trend = weekly_metrics.best_by_team(best)
    rows, classes = [], []
    for r in trend.itertuples():
        rows.append([_team_cell(r.team, r.small_team), r.checkins, _week_mean(r.first_mean, r.first_week),
                     _week_mean(r.last_mean, r.last_week)])
        classes.append("emr-room" if r.scope == "room" else "")
    table = _table(["Team", "Check-ins", "First week shown", "Latest week shown"], rows, numeric={1, 2, 3},
                   row_classes=classes)
    chart = _chart(charts.best_chart(best), "Weekly average of Am I doing my best per team")
    return ReportSection('"Am I doing my best?" over time', intro, chart=chart, table=table)
