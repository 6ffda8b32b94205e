"""The facilitator's report: one self-contained HTML file, and the same sections for the notebook.

`python -m extramile report --journal DIR --out report.html`

Every number comes from extramile.metrics and every chart from
extramile.charts, so the report and the live summary notebook show the same
thing. Everything that came from a journal (team names, shared answers, even
the folder name) passes through html.escape, and loses any control
character, before it reaches the page.
Charts are embedded as base64 PNGs: the file can be mailed, printed or
opened offline.
"""

from __future__ import annotations

import html
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from extramile import charts, metrics
from extramile.content import Catalog
from extramile.disclosure import MIN_ANSWERS, MIN_POOLED_ANSWERS
from extramile.exceptions import ContentError
from extramile.journal import Journal, JournalError, without_controls
from extramile.journal_frame import MIN_GROUP, LoadReport, load_frame
from extramile.metrics import ALL_TEAMS, EVERYTHING, Window

WALL_PER_TEAM = 12
LONG_TABLE = 25  # rows; a longer table scrolls on screen and prints in full
STYLE = """
.emr { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328;
       line-height: 1.45; max-width: 1020px; margin: 0 auto; padding: 0 16px 40px; overflow-wrap: anywhere; }
.emr h1 { font-size: 1.9em; margin: 0.6em 0 0.1em; }
.emr h2 { font-size: 1.35em; margin: 1.6em 0 0.3em; padding-top: 0.6em; border-top: 3px solid #0f766e; }
.emr h3 { font-size: 1.15em; margin: 1.6em 0 0.2em; }
.emr h4 { font-size: 1em; margin: 1.1em 0 0.4em; }
.emr .emr-meta { color: #656d76; margin: 0 0 0.8em; }
.emr .emr-note { background: #f6f8fa; border-left: 4px solid #0f766e; padding: 0.5em 0.9em; margin: 0.8em 0; }
.emr .emr-warn { background: #fff8c5; border-left: 4px solid #bf8700; padding: 0.5em 0.9em; margin: 0.8em 0; }
.emr .emr-intro { color: #424a53; margin: 0.2em 0 0.6em; }
.emr .emr-empty { color: #656d76; font-style: italic; }
.emr img { max-width: 100%; height: auto; display: block; margin: 0.4em 0 0.8em; }
.emr table { border-collapse: collapse; margin: 0.4em 0 1em; font-size: 0.92em; }
.emr th, .emr td { border-bottom: 1px solid #d8dee4; padding: 0.3em 0.7em; text-align: left;
                   vertical-align: top; }
.emr th { background: #f6f8fa; font-weight: 600; }
.emr td:first-child { min-width: 7em; max-width: 22em; }
.emr td.emr-num, .emr th.emr-num { text-align: right; font-variant-numeric: tabular-nums; }
.emr tr.emr-room td { font-weight: 600; background: #f0f7f6; }
.emr .emr-badge { display: inline-block; font-size: 0.78em; color: #656d76; border: 1px solid #d8dee4;
                  border-radius: 10px; padding: 0 0.5em; margin-left: 0.4em; white-space: nowrap; }
.emr .emr-wall { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 8px; }
.emr .emr-card { border: 1px solid #d8dee4; border-left: 4px solid #2a9d8f; border-radius: 6px;
                 padding: 0.45em 0.7em; background: #fff; overflow-wrap: anywhere; font-size: 0.88em; }
.emr .emr-card .emr-what { font-size: 0.85em; color: #656d76; margin-bottom: 0.25em; }
.emr .emr-card p { margin: 0.15em 0; white-space: pre-wrap; }
.emr .emr-scroll { overflow-x: auto; }
.emr .emr-long { max-height: 34em; overflow-y: auto; border-bottom: 1px solid #d8dee4; }
.emr .emr-long thead th { position: sticky; top: 0; }
@media print { .emr img, .emr .emr-card { break-inside: avoid; }
               .emr .emr-long { max-height: none; overflow: visible; } }
"""


@dataclass
class ReportSection:
    """One heading of the report: a title, a sentence on how to read it, and its body."""

    title: str
    intro: str
    body: str

    def to_html(self) -> str:
        return (f"<h3>{_e(self.title)}</h3>\n<p class='emr-intro'>{_e(self.intro)}</p>\n{self.body}\n")


def _e(value) -> str:
    """Escaped, and without control characters: an old or hand-edited journal may still hold an ESC or NUL."""
    return html.escape(without_controls(str(value)), quote=True)


MEAN = "{:.0f}"  # extramile.disclosure shows means as whole numbers


def _num(value, pattern: str = "{:.1f}", missing: str = "–") -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return missing
    return pattern.format(value)


def _table(headers: list[str], rows: list[list], numeric: set[int] = frozenset(),
           row_classes: list[str] | None = None) -> str:
    """A table whose every cell is escaped; cells given as (text, badge) get a small grey label."""
    head = "".join(f"<th class='emr-num'>{_e(h)}</th>" if i in numeric else f"<th>{_e(h)}</th>"
                   for i, h in enumerate(headers))
    body = []
    for r, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row):
            text, badge = cell if isinstance(cell, tuple) else (cell, None)
            inner = _e(text) + (f"<span class='emr-badge'>{_e(badge)}</span>" if badge else "")
            cells.append(f"<td class='emr-num'>{inner}</td>" if i in numeric else f"<td>{inner}</td>")
        css = f" class='{row_classes[r]}'" if row_classes and row_classes[r] else ""
        body.append(f"<tr{css}>{''.join(cells)}</tr>")
    scroll = "emr-scroll emr-long" if len(rows) > LONG_TABLE else "emr-scroll"
    return (f"<div class='{scroll}'><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _chart(figure, alt: str) -> str:
    data = charts.figure_to_png_base64(figure)
    return f"<img src='data:image/png;base64,{data}' alt='{_e(alt)}'>"


def _week_mean(mean, week) -> str:
    return f"{_num(mean, MEAN)} ({week})" if isinstance(week, str) else "–"


def _empty(text: str) -> str:
    return f"<p class='emr-empty'>{_e(text)}</p>"


def _team_cell(team: str, small: bool):
    return (team, f"under {MIN_GROUP}: counts only") if small else team


# --- during the workshop --------------------------------------------------------------------------

def workshop_sections(frame: pd.DataFrame, catalog: Catalog, window: Window = EVERYTHING) -> list[ReportSection]:
    return [
        _progress(metrics.members_signed_in(frame, window=window),
                  metrics.completion_by_team_lesson(frame, catalog, window=window)),
        _mindset(metrics.mindset_before_after(frame, window=window)),
        _scenarios(metrics.scenario_spread(frame, catalog, window=window)),
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
        return ReportSection(title, intro, _empty("Nobody has signed in yet."))
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
    return ReportSection(title, intro, (chart if pages else "") + table)


def _share_cell(answered, possible) -> str:
    return f"{answered}/{possible} ({answered / possible:.0%})" if possible else "–"


def _mindset(mindset: pd.DataFrame) -> ReportSection:
    intro = (f"The 1-10 check-ins at the start and the end of the session: mean (answers), in whole numbers. "
             f"A team's mean needs {MIN_ANSWERS} or more answers; {ALL_TEAMS} averages only the teams whose "
             f"own mean is shown, and needs {MIN_POOLED_ANSWERS} or more of their answers. These numbers "
             f"measure how people felt on the day, at the start and at the end; they do not measure the "
             f"workshop's impact, which shows, if at all, in the weekly journal over the following months.")
    if mindset.empty:
        return ReportSection("Mindset before and after", intro, _empty("No before/after check-ins yet."))
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
    return ReportSection("Mindset before and after", intro,
                   _chart(charts.mindset_chart(mindset), "Before and after means per team") + table)


def _scenarios(spread: pd.DataFrame) -> ReportSection:
    intro = (f"How the room's choices spread over each scenario's responses, to the nearest 10%. Only teams "
             f"where {MIN_ANSWERS} or more answered are counted in, and a scenario needs {MIN_POOLED_ANSWERS} "
             f"or more of their answers; otherwise it shows how many answered.")
    if spread.empty:
        return ReportSection("Scenarios: how the room chose", intro, _empty("No scenarios in the content."))
    rows = []
    for r in spread.itertuples():
        rows.append([f"{r.title} ({r.respondents} answered)" if r.option == 0 else "", r.option_text,
                     _num(r.share, "{:.0%}")])
    table = _table(["Scenario", "Response", "Share"], rows, numeric={2})
    return ReportSection("Scenarios: how the room chose", intro,
                   _chart(charts.scenario_chart(spread), "Share of each response per scenario") + table)


def _wall(wall: pd.DataFrame) -> ReportSection:
    intro = ("What participants ticked \"share with my team\" for, newest first and without names. "
             "Everything else stays private.")
    if wall.empty:
        return ReportSection("The wall", intro, _empty("Nothing has been shared yet."))
    parts = []
    for team, group in wall.groupby("team", sort=False):
        total = int(group["total"].iloc[0])
        if bool(group["counts_only"].iloc[0]):
            parts.append(f"<h4>{_e(team)}</h4><p class='emr-empty'>{total} shared "
                         f"answer{'s' * (total != 1)}; "
                         f"a team under {MIN_GROUP} shows counts only.</p>")
            continue
        shown = f"{len(group)} newest of {total}" if total > len(group) else f"{total}"
        cards = []
        for r in group.itertuples():
            what = r.title
            if not isinstance(r.week, str) and pd.notna(r.at):
                what = f"{r.title} · {r.at.tz_convert(None):%a %d %b %Y}"
            paragraphs = "".join(_wall_part(label, text) for label, text in r.parts)
            cards.append(f"<div class='emr-card'><div class='emr-what'>{_e(what)}</div>{paragraphs}</div>")
        parts.append(f"<h4>{_e(team)} <span class='emr-badge'>{_e(shown)} shared</span></h4>"
                     f"<div class='emr-wall'>{''.join(cards)}</div>")
    return ReportSection("The wall", intro, "".join(parts))


def _wall_part(label: str, text: str) -> str:
    first, *more = text.split("\n")
    lead = f"<p><b>{_e(label)}:</b> {_e(first)}</p>" if label else f"<p>{_e(first)}</p>"
    return lead + "".join(f"<p>{_e(line)}</p>" for line in more)


# --- over the weeks -------------------------------------------------------------------------------

def weekly_sections(frame: pd.DataFrame, catalog: Catalog, window: Window = EVERYTHING) -> list[ReportSection]:
    return [
        _stories(metrics.stories_per_week(frame, window=window)),
        _habits(metrics.habit_heatmap_table(frame, catalog, window=window)),
        _commitments(metrics.commitments_kept(frame, window=window)),
        _best(metrics.best_over_time(frame, window=window)),
    ]


def _stories(stories: pd.DataFrame) -> ReportSection:
    intro = ("One extra-mile story a week: recognise it, write it down, learn from it. "
             "Counts of who wrote one.")
    if stories.empty:
        return ReportSection("Weekly stories", intro, _empty("No weekly stories yet."))
    totals = metrics.stories_by_team(stories)
    rows = [[r.team, r.members, r.stories, f"{r.weeks_with_story} of {r.weeks}"] for r in totals.itertuples()]
    table = _table(["Team", "Members", "Stories", "Weeks with a story"], rows, numeric={1, 2, 3})
    return ReportSection("Weekly stories", intro,
                   _chart(charts.stories_chart(stories), "Team by week heat map of weekly stories") + table)


def _habits(habits: pd.DataFrame) -> ReportSection:
    intro = ("The seven everyday habits from the weekly check-in: a count habit counts as practised "
             "when above zero, a tick habit when ticked. Shares to the nearest 10%.")
    if habits.empty or not habits["checkins"].any():
        return ReportSection("Habits", intro, _empty("No habit check-ins yet."))
    withheld = habits[habits["counts_only"]].drop_duplicates("team")
    note = ""
    if len(withheld):
        listed = ", ".join(f"{t} ({n} check-in{'s' * (n != 1)})"
                           for t, n in zip(withheld["team"], withheld["checkins"]))
        note = (f"<p class='emr-intro'>Counts only (fewer than {MIN_ANSWERS} people checking in): "
                f"{_e(listed)}.</p>")
    return ReportSection("Habits", intro, _chart(charts.habits_chart(habits), "Team by habit heat map") + note)


def _commitments(kept: pd.DataFrame) -> ReportSection:
    intro = ("Commitments made in the workshop and week by week, and how each one's latest review went, as "
             f"shares of those reviewed (nearest 10%). Shares need {MIN_ANSWERS} or more people reviewing; "
             f"{ALL_TEAMS} counts in only the teams whose shares are shown.")
    if kept.empty or not (kept["made"].any() or kept["reviewed"].any()):
        return ReportSection("Commitments kept", intro, _empty("No commitments yet."))
    rows, classes = [], []
    for r in kept.itertuples():
        rows.append([r.team, r.made, r.reviewed, _num(r.share_kept, "{:.0%}"),
                     _num(r.share_partly, "{:.0%}"), _num(r.share_not_yet, "{:.0%}")])
        classes.append("emr-room" if r.scope == "room" else "")
    table = _table(["Team", "Made", "Reviewed", "Kept", "Partly", "Not yet"], rows,
                   numeric={1, 2, 3, 4, 5}, row_classes=classes)
    return ReportSection("Commitments kept", intro,
                   _chart(charts.commitments_chart(kept), "Kept, partly and not yet per team") + table)


def _best(best: pd.DataFrame) -> ReportSection:
    intro = (f'The weekly "Am I doing my best?" (1-10), averaged per team and week in whole numbers when '
             f"{MIN_ANSWERS} or more people answered; {ALL_TEAMS} averages only the teams shown that week and "
             f"needs {MIN_POOLED_ANSWERS} or more of their answers.")
    if best.empty:
        return ReportSection('"Am I doing my best?" over time', intro, _empty("No weekly check-ins yet."))
    trend = metrics.best_by_team(best)
    rows, classes = [], []
    for r in trend.itertuples():
        rows.append([_team_cell(r.team, r.small_team), r.checkins, _week_mean(r.first_mean, r.first_week),
                     _week_mean(r.last_mean, r.last_week)])
        classes.append("emr-room" if r.scope == "room" else "")
    table = _table(["Team", "Check-ins", "First week shown", "Latest week shown"], rows, numeric={1, 2, 3},
                   row_classes=classes)
    return ReportSection('"Am I doing my best?" over time', intro,
                   _chart(charts.best_chart(best), "Weekly average of Am I doing my best per team") + table)


# --- the page -------------------------------------------------------------------------------------

def render_sections(sections: list[ReportSection]) -> str:
    return "".join(section.to_html() for section in sections)


def privacy_note() -> str:
    return (f"<div class='emr-note'>Private answers count toward progress; their words never appear here, "
            f"nor do shared words of teams with fewer than {MIN_GROUP} members. A mean or share is shown only "
            f"where {MIN_ANSWERS} or more people answered that question. {ALL_TEAMS} rows and overall lines "
            f"draw only on teams whose own figure is shown, and need {MIN_POOLED_ANSWERS} or more answers. "
            f"Means are whole numbers and shares go in steps of 10%, so subtracting your own answers, or "
            f"comparing two reports, does not give back someone else's answer exactly. Counts are always shown."
            f"</div>")


def problems_note(loaded: LoadReport) -> str:
    problems = loaded.problems()
    if not problems:
        return ""
    return ("<div class='emr-warn'>Some of the journal could not be used and was left out: "
            f"{_e('; '.join(problems))}. The rest of the report is complete.</div>")


def build_report(frame: pd.DataFrame, loaded: LoadReport, catalog: Catalog, *, window: Window = EVERYTHING,
                 title: str = "Extra Mile: group summary", generated: datetime | None = None,
                 wall_per_team: int | None = WALL_PER_TEAM) -> str:
    """The whole report as one HTML document."""
    generated = generated or datetime.now().astimezone()
    scope = []
    if window.teams:
        scope.append("teams: " + ", ".join(window.teams))
    if window.start or window.end:
        scope.append(f"dates: {window.start or 'start'} to {window.end or 'today'}")
    meta = (f"Generated {generated:%a %d %b %Y, %H:%M} from {loaded.directory} · {loaded.summary()}"
            + (f" · {'; '.join(scope)}" if scope else ""))
    body = (f"<h1>{_e(title)}</h1><p class='emr-meta'>{_e(meta)}</p>{privacy_note()}{problems_note(loaded)}"
            "<h2>During the workshop</h2>"
            + render_sections(workshop_sections(frame, catalog, window))
            + "<h2>Over the weeks</h2>"
            + render_sections(weekly_sections(frame, catalog, window))
            + "<h2>Shared with the team</h2>"
            + wall_section(frame, catalog, window, wall_per_team).to_html())
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(title)}</title><style>{STYLE}</style></head>"
            f"<body><main class='emr'>{body}</main></body></html>\n")


def write_report(journal: Journal, out: Path, *, catalog: Catalog | None = None, progress: bool = False,
                 **options) -> LoadReport:
    """Read the journals, build the report and write it in one go (a half-written file is never left)."""
    catalog = catalog or Catalog.from_content()
    frame, loaded = load_frame(journal, progress=progress, catalog=catalog)
    page = build_report(frame, loaded, catalog, **options)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=out.parent, prefix=".report-", suffix=".html")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(page)
        os.chmod(temporary, 0o644)  # mkstemp's 600 would surprise someone sharing the report
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return loaded


def add_arguments(parser) -> None:
    parser.add_argument("--journal", type=Path, default=None,
                        help="the journal folder (default: $EXTRAMILE_JOURNAL_DIR, else ./journal)")
    parser.add_argument("--out", type=Path, default=Path("report.html"), help="where to write (report.html)")
    parser.add_argument("--team", action="append", dest="teams", metavar="NAME",
                        help="only this team (repeat for several)")
    parser.add_argument("--since", type=date.fromisoformat, default=None, help="first day, YYYY-MM-DD")
    parser.add_argument("--until", type=date.fromisoformat, default=None, help="last day, YYYY-MM-DD")
    parser.add_argument("--wall-per-team", type=int, default=WALL_PER_TEAM,
                        help=f"newest shared answers shown per team ({WALL_PER_TEAM}; 0 for all)")


def run(args) -> int:
    journal = Journal(args.journal) if args.journal else Journal()  # bare: the journal service under a hub
    if not journal.directory.is_dir():
        print(f"report: there is no journal folder at {journal.directory}. Pass --journal DIR "
              "or set EXTRAMILE_JOURNAL_DIR.", file=sys.stderr)
        return 2
    try:
        loaded = write_report(journal, args.out, progress=True,
                              window=Window(tuple(args.teams or ()), args.since, args.until),
                              wall_per_team=args.wall_per_team or None)
    except (JournalError, ContentError, OSError) as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {args.out}: {loaded.summary()}")
    return 0
