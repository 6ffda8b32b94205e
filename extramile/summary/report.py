"""The facilitator's report: one self-contained HTML file, and the same sections for the notebook.

`python -m extramile report --journal DIR --out report.html`

The sections are plain data (extramile.summary.report_sections), the same for the
report and the live summary notebook; the page is drawn by autoescaped Jinja2
templates (extramile/templates), so everything that came from a journal
(team names, shared answers, even the folder name) is escaped, and loses any
control character, without anyone having to remember to.
Charts are embedded as base64 PNGs: the file can be mailed, printed or
opened offline.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from extramile import documents
from extramile.content import Catalog
from extramile.exceptions import ExtraMileError
from extramile.store import atomic
from extramile.store.journal_store import JournalStore, open_journal
from extramile.summary.disclosure import MIN_ANSWERS, MIN_POOLED_ANSWERS
from extramile.summary.journal_frame import MIN_GROUP, load_frame
from extramile.summary.load_report import LoadReport
from extramile.summary.metrics import ALL_TEAMS, EVERYTHING, Window
from extramile.summary.report_sections import (
    WALL_PER_TEAM,
    ReportSection,
    wall_section,
    weekly_sections,
    workshop_sections,
)

_PAGES = documents.environment()
_PAGES.globals.update(MIN_GROUP=MIN_GROUP, MIN_ANSWERS=MIN_ANSWERS, MIN_POOLED_ANSWERS=MIN_POOLED_ANSWERS,
                      ALL_TEAMS=ALL_TEAMS)


def render_sections(sections: list[ReportSection]) -> Markup:
    """The sections as HTML, drawn by the same template as the report's."""
    return _PAGES.get_template("sections.html").module.sections(sections)


def notes(loaded: LoadReport) -> Markup:
    """What the privacy rules mean for the figures, and what of the journal could not be used."""
    return _PAGES.get_template("sections.html").module.notes(loaded.problems())


def style() -> str:
    """The report's CSS, which the summary notebook's tabs use too."""
    return (documents.TEMPLATES / "report.css").read_text(encoding="utf-8")


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
    meta = (f"Generated {generated:%a %d %b %Y, %H:%M} from {loaded.location} · {loaded.summary()}"
            + (f" · {'; '.join(scope)}" if scope else ""))
    return _PAGES.get_template("report_page.html").render(
        title=title, meta=meta, problems=loaded.problems(),
        workshop=workshop_sections(frame, catalog, window), weekly=weekly_sections(frame, catalog, window),
        wall=wall_section(frame, catalog, window, wall_per_team))


def write_report(journal: JournalStore, out: Path, *, catalog: Catalog | None = None, progress: bool = False,
                 window: Window = EVERYTHING, wall_per_team: int | None = WALL_PER_TEAM) -> LoadReport:
    """Read the journals, build the report and write it in one go (a half-written file is never left)."""
    catalog = catalog or Catalog.from_content()
    frame, loaded = load_frame(journal, progress=progress, catalog=catalog)
    page = build_report(frame, loaded, catalog, window=window, wall_per_team=wall_per_team)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_whole(out, page.encode("utf-8"), mode=0o644)  # mode: a report is made to be shared
    return loaded


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--journal", type=Path, default=None,
                        help="the journal folder (default: $EXTRAMILE_JOURNAL_DIR, else ./journal)")
    parser.add_argument("--out", type=Path, default=Path("report.html"), help="where to write (report.html)")
    parser.add_argument("--team", action="append", dest="teams", metavar="NAME",
                        help="only this team (repeat for several)")
    parser.add_argument("--since", type=date.fromisoformat, default=None, help="first day, YYYY-MM-DD")
    parser.add_argument("--until", type=date.fromisoformat, default=None, help="last day, YYYY-MM-DD")
    parser.add_argument("--wall-per-team", type=int, default=WALL_PER_TEAM,
                        help=f"newest shared answers shown per team ({WALL_PER_TEAM}; 0 for all)")


def run(args: argparse.Namespace) -> int:
    journal = open_journal(args.journal)  # no --journal under a hub: the journal service
    if journal.directory is not None and not journal.directory.is_dir():
        print(f"report: there is no journal folder at {journal.directory}. Pass --journal DIR "
              "or set EXTRAMILE_JOURNAL_DIR.", file=sys.stderr)
        return 2
    try:
        loaded = write_report(journal, args.out, progress=True,
                              window=Window(tuple(args.teams or ()), args.since, args.until),
                              wall_per_team=args.wall_per_team or None)
    except (ExtraMileError, OSError) as exc:
        print(f"report: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {args.out}: {loaded.summary()}")
    return 0
