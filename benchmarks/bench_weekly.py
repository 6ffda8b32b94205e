"""Budget: opening the weekly journal with 156 weeks of entries costs at most 1.5x opening it new.

Both participants are in the same team of a room with three years of demo
data, so both read the same teammates' journals; the difference is only
their own history. "Opening" is what the notebook does: the page for a
session link, then every section (`show_weekly(...)` without the display).
The two are timed alternately, after a warm-up, in one process, and the
medians compared: a ratio measured in this run, not a bare timing.

Run: `python benchmarks/bench_weekly.py` (prints the ratio and PASS/FAIL, exits 1 on FAIL).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from extramile.content import weeks, workshop_choices
from extramile.identity.identity import Accounts
from extramile.page import Page
from extramile.participant.signin import BrowserLink
from extramile.store.journal import Journal
from extramile.summary import demo_data
from extramile.weekly.weekly_page import SECTIONS

BUDGET = 1.5
WEEKS = 156
NEW = "New Nico"
VETERAN = "Veteran Vera"


def write_three_years(journal: Journal, name: str, team: str) -> None:
    """What a faithful participant leaves after 156 weeks: every weekly entry, every week."""
    habits = workshop_choices.habits()
    workshop = journal.append(participant=name, team=team, kind="commitment", lesson=None,
                              exercise="commit-my-commitments",
                              answer={"idea": "Call customers to offer help", "action": "Five calls a day",
                                      "check_by": "2023-12-01"})
    previous = workshop
    for number, week in enumerate(weeks.weeks_between(weeks.shift(weeks.this_week(), -(WEEKS - 1)),
                                                      weeks.this_week())):
        def add(kind: str, exercise: str, answer: dict, shared: bool = False, week: str = week) -> dict:
            return journal.append(participant=name, team=team, kind=kind, exercise=exercise,
                                  answer={"week": week, **answer}, shared=shared)

        add("checkin", weeks.CHECKIN, {"best": 1 + number % 10, "mindset": 1 + (number * 7) % 10})
        add("habit", weeks.HABITS, {"values": {h.id: number % 9 if h.weekly == "count" else number % 3 == 0
                                               for h in habits}})
        add("weekly", weeks.STORY, {"happened": f"In week {week} a customer's parcel went missing twice.",
                                    "did": "I drove it over myself and called the next day.",
                                    "learned": "Small things are the ones people remember."},
            shared=number % 4 == 0)
        add("commitment", weeks.REVIEW, {"commitment": previous["id"],
                                         "status": ("kept", "partly", "not-yet")[number % 3]})
        previous = add("commitment", weeks.COMMITMENT, {"idea": "Send a handwritten thank-you note",
                                                        "action": "Two notes to new customers",
                                                        "check_by": "2026-12-01"})


def build_room(directory: Path) -> tuple[Journal, dict[str, str]]:
    """A 30-person room with three years of demo data plus the two people timed; returns their sessions."""
    demo_data.generate(directory, participants=30, teams=5, weeks=WEEKS, seed=11)
    journal = Journal(directory)
    team = next(entry["team"] for entry in journal.read_all() if entry["kind"] == "profile")
    accounts = Accounts(journal)
    browsers = {name: accounts.start_session(accounts.sign_in(name, team, "benchmark passphrase"))
                for name in (NEW, VETERAN)}
    write_three_years(journal, VETERAN, team)
    return journal, browsers


def open_weekly_journal(directory: Path, session: str) -> Page:
    page = Page("weekly_journal", Journal(directory), link=BrowserLink(session))
    page.header()
    page.story()
    for section in SECTIONS:
        page.weekly_section(section)
    page.next_link()
    return page


def timed(directory: Path, token: str) -> float:
    start = time.perf_counter()
    open_weekly_journal(directory, token)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="timed opens per participant (default 15)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="extramile-bench-weekly-") as folder:
        directory = Path(folder) / "journal"
        _journal, browsers = build_room(directory)
        veteran = open_weekly_journal(directory, browsers[VETERAN])
        assert len(veteran.weekly.weeks.dropdown.options) >= WEEKS and veteran.book.participant.name == VETERAN
        for _ in range(2):
            for name in (NEW, VETERAN):
                timed(directory, browsers[name])
        new_times, veteran_times = [], []
        for _ in range(args.repeats):
            new_times.append(timed(directory, browsers[NEW]))
            veteran_times.append(timed(directory, browsers[VETERAN]))
    new, old = statistics.median(new_times), statistics.median(veteran_times)
    ratio = old / new
    verdict = "PASS" if ratio <= BUDGET else "FAIL"
    print(f"weekly journal open: new participant {new * 1000:.1f} ms, {WEEKS} weeks of entries "
          f"{old * 1000:.1f} ms (medians of {args.repeats}); ratio {ratio:.2f}x, budget {BUDGET}x: {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
