"""A realistic synthetic journal, for rehearsing the facilitator's view and for the benchmark.

`python -m extramile demo-data --participants 30 --teams 5 --weeks 8 --out DIR`

Every line is exactly what Journal.append writes (same fields, same order,
same encoding, files named by names.file_stem_for), and every answer is
built by its kind's model (extramile.content.answer_models) as the cards build theirs,
so the summary and the report cannot tell demo data from a real room. The only shortcut: each
participant's lines go to disk in one write, without an fsync per entry, so a
year of a thousand people takes seconds rather than minutes.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import get_args

from extramile.content import Catalog, ExerciseInfo
from extramile.content.answer_models import (
    Answer,
    CheckinAnswer,
    CommitmentAnswer,
    HabitRatingsAnswer,
    PlanAnswer,
    ProfileAnswer,
    Rating,
    ReflectionAnswer,
    ReframeAnswer,
    ReviewAnswer,
    RoleplayAnswer,
    ScaleAnswer,
    ScenarioAnswer,
    StoryAnswer,
    WeeklyHabitsAnswer,
)
from extramile.content.weeks import CHECKIN, COMMITMENT, HABITS, REVIEW, REVIEW_STATUSES, STORY, week_of
from extramile.exceptions import DemoDataRefused
from extramile.names import clean_name
from extramile.store.journal import Journal, encode_entry, new_entry

FIRST_NAMES = (
    "Amara", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Gustavo", "Hana", "Ivan", "Jasmine", "Kwame",
    "Léa", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Søren", "Tomás", "Uma", "Viktor",
    "Wen", "Ximena", "Yusuf", "Zoë", "Aiko", "Björn", "Carmen", "Dara", "Emeka", "Fatima", "Grace",
    "Hugo", "Ingrid", "José", "Kai", "Lucía", "Malik", "Noor", "Olivia", "Pablo", "Ravi", "Sofia",
    "Tariq", "Ursula", "Valentina", "William", "Yara", "Zoe", "Łukasz", "Anaïs", "Sean", "Mei",
)
LAST_NAMES = (
    "Adeyemi", "Bauer", "Castillo", "Dubois", "Eriksen", "Fernández", "García", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lindqvist", "Müller", "Nakamura", "O'Brien", "Papadopoulos", "Quinn", "Rossi",
    "Schmidt", "Takahashi", "Ünal", "Van der Berg", "Walsh", "Xu", "Yilmaz", "Zhang", "Nowak", "Silva",
    "Okafor", "Novák", "Moreau", "Kim", "Hansen", "Larsen", "Costa", "Patel", "Singh", "Murphy",
)
TEAM_NAMES = (
    "Harbour", "Summit", "Lighthouse", "Orchard", "Compass", "Sales & Service", "Beacon", "Evergreen",
    "Riverside", "Aurora", "Northstar", "Meadow", "Cedar", "Tidewater", "Keystone", "Foxglove",
    "Skyline", "Driftwood", "Juniper", "Pathfinder",
)
Appeal = dict[str, list[float]]  # scenario id -> how strongly the room leans to each response
HABIT_RATINGS = get_args(Rating)
DEFAULT_IDEAS = ("Call a customer just to ask how it's going", "Answer every request within the hour",
                 "Write a thank-you note")

_PROBLEMS = (
    "a customer's order was stuck in a depot because of the snow",
    "an invoice went out with the wrong address on it",
    "a regular customer couldn't find the spare part they needed",
    "a new client was confused by our set-up guide",
    "a colleague from another team was stuck with a booking at five to five",
    "an elderly customer couldn't get the online form to work",
    "a delivery arrived with one box missing",
    "a customer rang, annoyed, because nobody had called back",
    "the card machine failed while the queue was long",
    "a customer needed a present wrapped just before closing",
)
_ACTIONS = (
    "called them before they had to chase us",
    "walked over to the other branch and brought it back myself",
    "stayed ten minutes and fixed it together with them",
    "sent a short handwritten note with the replacement",
    "booked the engineer for the same afternoon",
    "talked them through it on the phone, step by step",
    "rang back the same hour with a realistic new date",
    "wrapped the presents and thanked them for coming in",
    "found a workaround and wrote it up for the team",
    "sent them an article that answered their next question too",
)
_LESSONS = (
    "A call before they notice turns bad news into care.",
    "Ten minutes cost me almost nothing and they still mention it.",
    "Asking 'how can I help?' first saved us a long argument.",
    "Small things get noticed more than big promises.",
    "I should ask what the real opportunity is before I react.",
    "Doing the everyday things well matters more than the grand gesture.",
    "Next time I will offer it before they have to ask.",
    "A short note with a name on it beats a ticket number.",
)
_ACTION_PLANS = (
    "Call three customers on Friday afternoon just to ask how things are going.",
    "Reply to every service request before lunch, even if only to say when.",
    "Write one handwritten thank-you card to a customer who helped us.",
    "Walk over to the warehouse team instead of sending an e-mail.",
    "Send Mrs Okafor the article about maintenance we talked about.",
    "Try the 45-second check at the end of every call this week.",
    "Offer a drink and a seat while customers wait, then follow up the next day.",
)
_REFLECTIONS = (
    "The mechanic who stayed late so I could drive home that night. I have been back five times since.",
    "Checking the order with the customer on the phone takes less than a minute and avoids most returns.",
    "When the system is down I tend to blame the system. I could call the customer first instead.",
    "Our best customer has never been thanked properly. A short visit would plant that seed.",
    "Walking someone to the right shelf instead of pointing: it takes 30 seconds.",
    "On Monday I was short with a colleague because of a bad morning. That was self-inflicted.",
    "Being grateful for every customer, even the ones who ring at 4:59 p.m.",
    "A person, not a ticket number: use their name and tell them mine.",
    "R&D asked us for help and we sent them a link. Next time I'll sit with them.",
)
_ROLEPLAY_REFLECTIONS = (
    "She used my name and said what she could do before what she couldn't. I felt welcome.",
    "He kept looking at the clock. I felt like I was holding up the queue.",
    "Being told the real reason, not just 'policy', made the wait easy to accept.",
    "She repeated my problem back to me, so I knew she had listened.",
    "He sighed before answering. After that nothing he offered felt generous.",
)
_OPPORTUNITIES = (
    "Show them we care more about them than about the sale.",
    "Turn the complaint into a reason to call them regularly.",
    "Improve the guide so the next customer never has this problem.",
    "Make this the story they tell about us, for the right reason.",
)
_HELPS = (
    "Call them today, fix it, and bring a spare so it can't happen again before their meeting.",
    "Walk them through it on the phone, then send a one-page version of the instructions.",
    "Lend them a replacement until the part arrives, at no charge.",
    "Ask what they need right now, then do that first.",
)


@dataclass
class DemoSummary:
    directory: Path
    participants: int
    teams: int
    entries: int

    def __str__(self) -> str:
        return (f"Wrote {self.participants:,} journals ({self.entries:,} entries, "
                f"{self.teams} teams) to {self.directory}")


def participant_names(count: int, rng: random.Random) -> list[str]:
    """Distinct, varied names (accents included, so file naming gets exercised too)."""
    pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(pairs)
    names = [f"{first} {last}" for first, last in pairs[:count]]
    for extra in range(len(names), count):
        first, last = pairs[extra % len(pairs)]
        names.append(f"{first} {chr(65 + extra // len(pairs) % 26)}. {last} {extra // len(pairs)}")
    return names


def demo_team_names(count: int) -> list[str]:
    return [TEAM_NAMES[i] if i < len(TEAM_NAMES) else f"Team {i + 1}" for i in range(count)]


class _Writer:
    """Builds one participant's entries with exactly Journal.append's fields, in its order."""

    def __init__(self, rng: random.Random, name: str, team: str) -> None:
        self.rng = rng
        self.name = clean_name(name)
        self.team = clean_name(team, "team name")
        self.lines: list[str] = []

    def add(self, at: datetime, answer: Answer, *, lesson: str | None = None, exercise: str | None = None,
            shared: bool = False, replaces: str | None = None) -> dict:
        entry = new_entry(participant=self.name, team=self.team, kind=answer.entry_kind, lesson=lesson,
                          exercise=exercise, answer=answer.journal(), shared=shared, replaces=replaces, at=at,
                          entry_id=uuid.UUID(int=self.rng.getrandbits(128), version=4).hex)
        self.lines.append(encode_entry(entry).decode("utf-8"))
        return entry


def generate(out: Path, participants: int, teams: int, weeks: int, seed: int = 1,
             catalog: Catalog | None = None, workshop_day: date | None = None,
             progress: bool = False) -> DemoSummary:
    """Write the demo journal into `out`, which must hold no journal files yet."""
    if participants < 1 or teams < 1 or weeks < 0:
        raise DemoDataRefused("Use at least one participant and one team, and zero or more weeks.")
    catalog = catalog or Catalog.from_content()
    out = Path(out)
    journal = Journal(out)
    if out.exists() and any(out.glob("*.jsonl")):
        raise DemoDataRefused(f"{out} already holds journal files; choose an empty folder for demo data.")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    workshop_day = workshop_day or (date.today() - timedelta(weeks=weeks + 1))
    names = participant_names(participants, rng)
    team_list = demo_team_names(min(teams, participants))
    membership = _assign_teams(names, team_list, rng)
    appeal = {e.id: _option_weights(len(e.options), rng) for e in catalog.exercises.values() if e.options}

    people = names
    if progress:
        from tqdm import tqdm

        people = tqdm(names, desc="Writing demo journals", unit="journal", file=sys.stderr, disable=None)
    entries = 0
    for name in people:
        writer = _Writer(rng, name, membership[name])
        _workshop(writer, catalog, workshop_day, appeal, team_list)
        _weekly(writer, catalog, workshop_day, weeks)
        _write(journal.path_for(name), writer.lines)
        entries += len(writer.lines)
    return DemoSummary(out, len(names), len(set(membership.values())), entries)


def _assign_teams(names: list[str], teams: list[str], rng: random.Random) -> dict[str, str]:
    """Every team gets one person, the rest are spread at random: sizes vary, as in a real room."""
    order = names[:]
    rng.shuffle(order)
    return {name: teams[i] if i < len(teams) else rng.choice(teams) for i, name in enumerate(order)}


def _option_weights(count: int, rng: random.Random) -> list[float]:
    weights = [rng.uniform(0.2, 1.0) for _ in range(count)]
    weights[rng.randrange(count)] += 2.5  # most rooms lean towards one response
    return weights


def _workshop(writer: _Writer, catalog: Catalog, day: date, appeal: Appeal, teams: list[str]) -> None:
    rng = writer.rng
    clock = datetime.combine(day, time(9, 0), UTC) + timedelta(minutes=rng.uniform(0, 12))
    writer.add(clock, ProfileAnswer(team=writer.team))
    keen = rng.betavariate(6, 1.5)
    mindset, best = rng.gauss(5.8, 1.6), rng.gauss(6.2, 1.5)
    lift = rng.gauss(1.3, 1.0)
    for page, notebook in enumerate(catalog.notebooks):
        clock = datetime.combine(day, time(9, 0), UTC) + timedelta(minutes=45 * page + rng.uniform(0, 8))
        for info in catalog.exercises_in(notebook):
            clock += timedelta(minutes=rng.uniform(2, 7))
            if rng.random() > keen * (0.99 - 0.03 * page):
                continue
            answer, shareable = _lesson_answer(info, catalog, rng, appeal, mindset, best, lift, day)
            shared = shareable and rng.random() < 0.25
            entry = writer.add(clock, answer, lesson=info.lesson, exercise=info.id, shared=shared)
            if shareable and rng.random() < 0.08:
                edited, _ = _lesson_answer(info, catalog, rng, appeal, mindset, best, lift, day)
                writer.add(clock + timedelta(minutes=rng.uniform(1, 20)), edited, lesson=info.lesson,
                           exercise=info.id, shared=shared or rng.random() < 0.1, replaces=entry["id"])
    if len(teams) > 1 and rng.random() < 0.01:
        writer.team = rng.choice([t for t in teams if t != writer.team])
        writer.add(clock + timedelta(minutes=30), ProfileAnswer(team=writer.team))


def _lesson_answer(info: ExerciseInfo, catalog: Catalog, rng: random.Random, appeal: Appeal, mindset: float,
                   best: float, lift: float, day: date) -> tuple[Answer, bool]:
    """(answer, whether the participant could share it)."""
    if info.kind == "scale":
        base = mindset if info.measure == "mindset" else best
        value = base + (lift if info.moment == "after" else 0) + rng.gauss(0, 0.6)
        return ScaleAnswer(value=_clip(value), measure=info.measure, moment=info.moment), False
    if info.kind == "scenario":
        return ScenarioAnswer(option=rng.choices(info.option_ids, weights=appeal[info.id])[0]), False
    if info.kind == "reframe":
        return ReframeAnswer(opportunity=rng.choice(_OPPORTUNITIES), help=rng.choice(_HELPS)), True
    if info.kind == "roleplay":
        return RoleplayAnswer(text=rng.choice(_ROLEPLAY_REFLECTIONS)), True
    if info.kind == "habits":
        return HabitRatingsAnswer(ratings={h.id: rng.choices(HABIT_RATINGS, weights=(2, 5, 4, 1))[0]
                                           for h in catalog.habits}), False
    if info.kind == "commitment":
        return CommitmentAnswer(idea=rng.choice(info.ideas or DEFAULT_IDEAS), action=rng.choice(_ACTION_PLANS),
                                check_by=(day + timedelta(days=7)).isoformat()), True
    return ReflectionAnswer(text=rng.choice(_REFLECTIONS)), True


def _weekly(writer: _Writer, catalog: Catalog, day: date, weeks: int) -> None:
    """The weeks after the workshop: most people keep it up for a while, and every one misses some."""
    rng = writer.rng
    keen = rng.betavariate(3, 1.6)
    fade = rng.uniform(0.97, 1.0)
    best = rng.gauss(6.4, 1.3)
    mindset = rng.gauss(6.2, 1.4)
    growth = rng.gauss(0.03, 0.03)
    habit_odds = {h.id: rng.uniform(0.15, 0.9) for h in catalog.habits}
    ideas = [idea for e in catalog.exercises.values() if e.kind == "commitment" for idea in e.ideas]
    ideas = ideas or list(DEFAULT_IDEAS)
    open_commitment = None
    monday = day - timedelta(days=day.weekday())
    for number in range(1, weeks + 1):
        if rng.random() > keen * fade ** number:
            continue
        week_day = monday + timedelta(weeks=number, days=rng.choice((0, 3, 4, 4, 4)))
        week = week_of(week_day)
        clock = datetime.combine(week_day, time(14, 0), UTC) + timedelta(minutes=rng.uniform(0, 220))
        if rng.random() < 0.9:
            trend = growth * min(number, 20)
            writer.add(clock, CheckinAnswer(week=week, best=_clip(best + trend + rng.gauss(0, 1.0)),
                                            mindset=_clip(mindset + trend + rng.gauss(0, 1.1))), exercise=CHECKIN)
        if rng.random() < 0.85:
            values = {h.id: (min(int(rng.expovariate(1 / (4 * habit_odds[h.id]))), 15) if h.weekly == "count"
                             else rng.random() < habit_odds[h.id])
                      for h in catalog.habits}
            writer.add(clock + timedelta(minutes=2), WeeklyHabitsAnswer(week=week, values=values), exercise=HABITS)
        if rng.random() < 0.7:
            story = StoryAnswer(week=week, happened=f"This week {rng.choice(_PROBLEMS)}.",
                                did=f"I {rng.choice(_ACTIONS)}.", learned=rng.choice(_LESSONS))
            writer.add(clock + timedelta(minutes=5), story, exercise=STORY, shared=rng.random() < 0.15)
        if open_commitment and rng.random() < 0.8:
            status = rng.choices(REVIEW_STATUSES, weights=(5, 3, 2))[0]
            writer.add(clock + timedelta(minutes=9), ReviewAnswer(week=week, commitment=open_commitment, status=status),
                       exercise=REVIEW)
            if status == "kept":
                open_commitment = None
        if open_commitment is None and rng.random() < 0.6:
            plan = PlanAnswer(week=week, idea=rng.choice(ideas), action=rng.choice(_ACTION_PLANS),
                              check_by=(week_day + timedelta(days=7)).isoformat())
            entry = writer.add(clock + timedelta(minutes=11), plan, exercise=COMMITMENT, shared=rng.random() < 0.1)
            open_commitment = entry["id"]


def _clip(value: float) -> int:
    return max(1, min(10, round(value)))


def _write(path: Path, lines: list[str]) -> None:
    """All of one participant's lines in one write, mode 600 like the real journal."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, "".join(lines).encode("utf-8"))
    finally:
        os.close(fd)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--participants", type=int, default=30, help="how many people (default 30)")
    parser.add_argument("--teams", type=int, default=5, help="how many teams (default 5)")
    parser.add_argument("--weeks", type=int, default=8, help="weeks of weekly journal after the workshop")
    parser.add_argument("--out", type=Path, required=True, help="an empty folder to write the journals to")
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same people and answers")
    parser.add_argument("--workshop-day", type=date.fromisoformat, default=None,
                        help="the workshop's date, YYYY-MM-DD (default: so the last week ends now)")


def run(args: argparse.Namespace) -> int:
    try:
        summary = generate(args.out, args.participants, args.teams, args.weeks, seed=args.seed,
                           workshop_day=args.workshop_day, progress=True)
    except DemoDataRefused as exc:
        print(f"demo-data: {exc}", file=sys.stderr)
        return 2
    print(summary)
    return 0
