"""A crowd of participants, each a `solara_tab.Tab` driven through the day's first steps at human pace.

A participant opens the welcome page, signs in with their own name, team and
passphrase, opens the first lesson and saves answers one card at a time,
waiting for each "Saved" before the next, a few seconds apart. Some reload
the lesson on the way (and must find themselves still signed in, with their
answers); some leave early. Arrivals are spread over a window.

Afterwards `check_journals` reads every journal file as plain JSON lines:
a confirmation whose entry is not in its owner's file is lost, and so is an
entry in a file that belongs to someone who never saved it.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from benchmarks.solara_tab import Browser, Disconnected, Model, Tab
from extramile import content
from extramile.names import file_stem_for

LESSON_NOTEBOOK = content.notebook(content.PARTICIPANT_NOTEBOOKS[1])
WELCOME, LESSON, LESSON_TITLE = "/", content.route_of(LESSON_NOTEBOOK.notebook), LESSON_NOTEBOOK.title
CHOICES = ("RadioButtonsModel", "ToggleButtonsModel", "DropdownModel")
TAGS = re.compile(r"<[^>]+>")
TICKET = re.compile(r'data-ticket="([^"]+)"')


@dataclass
class Plan:
    """What one participant will do, decided before the crowd starts."""

    number: int
    arrives: float  # seconds after the crowd starts
    saves: int = 5
    think: tuple[float, float] = (2.0, 6.0)  # seconds between saves, drawn uniformly
    reading: tuple[float, float] = (4.0, 10.0)  # seconds from the page showing to pressing Sign in
    reload_after: int | None = None  # reload the lesson after this many saves
    leave_after: int | None = None  # close the tab after this many saves

    @property
    def name(self) -> str:
        return f"Crowd {self.number:03d}"

    @property
    def team(self) -> str:
        return f"Team {'ABCDEFGH'[self.number % 8]}"

    @property
    def passphrase(self) -> str:
        return f"crowd passphrase {self.number}"


@dataclass
class Confirmation:
    exercise: str
    texts: list[str]


@dataclass
class Outcome:
    plan: Plan
    open_seconds: float | None = None
    signin_seconds: float | None = None
    lesson_seconds: float | None = None
    save_seconds: list[float] = field(default_factory=list)
    attempted: list[str] = field(default_factory=list)  # exercise ids whose Save was pressed
    confirmed: list[Confirmation] = field(default_factory=list)
    reload_kept: bool | None = None  # after a reload: still signed in, every saved card still "Saved"
    failure: str | None = None
    tab: Tab | None = None

    @property
    def signed_in(self) -> bool:
        return self.signin_seconds is not None


def plans(participants: int, window: float, seed: int = 24, saves: int = 5, pace: float = 1.0) -> list[Plan]:
    """Arrivals drawn uniformly over the window; one in ten reloads, one in ten leaves early."""
    draw = random.Random(seed)
    made = []
    for number in range(participants):
        fate = draw.random()
        made.append(Plan(number, arrives=draw.uniform(0, window), saves=saves,
                         think=(2.0 * pace, 6.0 * pace), reading=(4.0 * pace, 10.0 * pace),
                         reload_after=2 if fate < 0.1 and saves > 2 else None,
                         leave_after=3 if 0.1 <= fate < 0.2 and saves > 3 else None))
    return sorted(made, key=lambda plan: plan.arrives)


async def run(base_url: str, crowd: list[Plan], timeout: float = 300) -> list[Outcome]:
    """Every participant's journey, each starting at its arrival time; their tabs stay open (see `leave_all`)."""
    started = time.monotonic()

    async def arrive(plan: Plan) -> Outcome:
        await asyncio.sleep(max(0.0, plan.arrives - (time.monotonic() - started)))
        return await journey(base_url, plan, timeout)
    return list(await asyncio.gather(*(arrive(plan) for plan in crowd)))


async def leave_all(outcomes: list[Outcome]) -> None:
    await asyncio.gather(*(o.tab.leave() for o in outcomes if o.tab is not None), return_exceptions=True)
    await asyncio.gather(*(o.tab.browser.close() for o in outcomes if o.tab is not None), return_exceptions=True)


async def journey(base_url: str, plan: Plan, timeout: float) -> Outcome:
    outcome = Outcome(plan)
    draw = random.Random(plan.number)
    browser = Browser(base_url, timeout)
    step = "opening the welcome page"
    try:
        began = time.perf_counter()
        outcome.tab = tab = Tab(browser, WELCOME)
        await tab.open(timeout)
        name_box = await tab.until(lambda: tab.find(lambda m: m.state.get("placeholder") == "Your name"),
                                   timeout, "sign-in form")
        outcome.open_seconds = time.perf_counter() - began
        await asyncio.sleep(draw.uniform(*plan.reading))
        step = "signing in"
        outcome.signin_seconds = await sign_in(tab, name_box, plan, timeout)
        step = "opening the lesson"
        outcome.lesson_seconds = await follow_link(tab, LESSON, LESSON_TITLE, timeout)
        done = 0
        while done < plan.saves:
            card = next((c for c in cards(tab) if not saved(tab, c)), None)
            if card is None:
                break
            await asyncio.sleep(draw.uniform(*plan.think))
            step = f"saving answer {done + 1}"
            await save(tab, card, plan, outcome, timeout)
            done += 1
            if done == plan.reload_after:
                step = "reloading the lesson"
                outcome.tab = tab = await reload(tab, timeout)
                outcome.reload_kept = signed_in(tab) and sum(saved(tab, c) for c in cards(tab)) >= done
            if done == plan.leave_after:
                await tab.leave()
                outcome.tab = None
                await browser.close()
                break
    except (Disconnected, TimeoutError, OSError) as exc:
        outcome.failure = f"{step}: {type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - one participant's surprise is counted, not fatal to the crowd
        outcome.failure = f"{step}: unexpected {type(exc).__name__}: {exc}"
    return outcome


async def sign_in(tab: Tab, name_box: Model, plan: Plan, timeout: float) -> float:
    """Type name, team and passphrase (each field sent whole, as a paste), press Sign in; seconds to the welcome."""
    team_box = tab.find(lambda m: m.state.get("description") == "Team")
    passphrase_box = tab.find(lambda m: m.name == "PasswordModel")
    button = tab.find(lambda m: m.name == "ButtonModel" and m.state.get("description") == "Sign in")
    await tab.update(name_box, {"value": plan.name})
    if team_box.name == "DropdownModel":
        await tab.update(team_box, {"index": plan.number % len(team_box.state["_options_labels"])})
    else:
        await tab.update(team_box, {"value": plan.team})
    await tab.update(passphrase_box, {"value": plan.passphrase})
    clicked = time.perf_counter()
    await tab.click(button)
    await tab.until(lambda: signed_in(tab) or refused(tab), timeout, "welcome line after Sign in")
    if not signed_in(tab):
        raise RuntimeError(f"sign-in refused: {refused(tab)}")
    took = time.perf_counter() - clicked
    tickets = [found for m in tab.models.values() for found in TICKET.findall(str(m.state.get("value", "")))]
    if not tickets:
        raise RuntimeError("no session ticket on the page after Sign in")
    await tab.browser.collect_session(tickets[-1])
    return took


async def follow_link(tab: Tab, href: str, title: str, timeout: float) -> float:
    """Click a link in the page (navigation inside the tab); seconds until the new page shows its cards."""
    link = tab.find(lambda m: m.state.get("tag") == "a" and (m.state.get("attributes") or {}).get("href") == href)
    clicked = time.perf_counter()
    await tab.click(link, "click.prevent.stop")
    await tab.until(lambda: heading(tab) == title and cards(tab), timeout, f"the cards of {href}")
    tab.path = href  # the page's address changes with it: a reload loads this page
    return time.perf_counter() - clicked


def heading(tab: Tab) -> str | None:
    """The page's title as shown (its h1)."""
    h1 = tab.find(lambda m: m.state.get("tag") == "h1")
    return "".join(c for c in h1.state.get("children", []) if not c.startswith("IPY_MODEL_")) if h1 else None


async def reload(tab: Tab, timeout: float) -> Tab:
    """The reload key: the page goes (websocket closed, beacon sent) and loads again in the same browser."""
    await tab.leave()
    again = Tab(tab.browser, tab.path)
    await again.open(timeout)
    await again.until(lambda: cards(again) and (signed_in(again) or refused(again) is not None), timeout,
                      "the reloaded lesson")
    return again


async def save(tab: Tab, card: Model, plan: Plan, outcome: Outcome, timeout: float) -> None:
    title = TAGS.sub("", next(m.state["value"] for m in tab.find_all(lambda m: m.name == "HTMLModel", card)
                              if "<h3>" in m.state.get("value", ""))).strip()
    exercise = exercise_id(title)
    texts = []
    for box in tab.find_all(lambda m: m.name == "TextareaModel", card):
        texts.append(f"{plan.name} on {exercise}, part {len(texts) + 1}: I walked the customer there myself.")
        await tab.update(box, {"value": texts[-1]})
    for number, choice in enumerate(tab.find_all(lambda m: m.name in CHOICES, card)):
        await tab.update(choice, {"index": (plan.number + number) % len(choice.state["_options_labels"])})
    button = tab.find(lambda m: m.name == "ButtonModel" and m.state.get("description") == "Save", card)
    status = tab.find(lambda m: "em-status-line" in m.classes(), card)
    outcome.attempted.append(exercise)
    clicked = time.perf_counter()
    await tab.click(button)
    shown = await tab.until(lambda: _final(status.state.get("value", "")), timeout, f"confirmation of {title!r}")
    if "em-ok" not in shown or "Saved" not in shown:
        raise RuntimeError(f"save of {title!r} answered: {TAGS.sub('', shown)}")
    outcome.save_seconds.append(time.perf_counter() - clicked)
    outcome.confirmed.append(Confirmation(exercise, texts))


def _final(status: str) -> str | None:
    """A save's answer in the card's status line: a confirmation, a warning or an error."""
    return status if any(tone in status for tone in ("em-ok", "em-warn", "em-error")) else None


def cards(tab: Tab) -> list[Model]:
    return tab.find_all(lambda m: "em-card" in m.classes())


def saved(tab: Tab, card: Model) -> bool:
    status = tab.find(lambda m: "em-status-line" in m.classes(), card)
    return status is not None and "Saved" in status.state.get("value", "")


def signed_in(tab: Tab) -> bool:
    return tab.find(lambda m: "em-welcome" in str(m.state.get("value", ""))) is not None


def refused(tab: Tab) -> str | None:
    line = tab.find(lambda m: "em-warn" in str(m.state.get("value", "")) and "em-status-line" in m.classes())
    return TAGS.sub("", line.state["value"]) if line is not None else None


def exercise_id(title: str) -> str:
    """The lesson's exercise a card shows, by its title (the page shows titles, the journal keeps ids)."""
    return _exercise_ids()[title]


@cache
def _exercise_ids() -> dict[str, str]:
    return {item.title: item.id for item in LESSON_NOTEBOOK.exercises}


@dataclass
class JournalCheck:
    missing: list[str] = field(default_factory=list)  # confirmed, not in the owner's journal
    misplaced: list[str] = field(default_factory=list)  # in a journal whose owner never saved it
    damaged: list[str] = field(default_factory=list)  # lines that are not one JSON entry in UTF-8

    @property
    def lost(self) -> int:
        return len(self.missing) + len(self.misplaced) + len(self.damaged)


def check_journals(directory: Path, outcomes: list[Outcome]) -> JournalCheck:
    """Read every journal file line by line and hold each against what the crowd was told."""
    check = JournalCheck()
    owners = {f"{file_stem_for(o.plan.name)}.jsonl": o for o in outcomes}
    lines_of: dict[str, list[dict]] = {}
    for path in sorted(directory.glob("*.jsonl")):
        lines_of[path.name] = []
        for number, line in enumerate(path.read_bytes().splitlines(), 1):
            try:
                lines_of[path.name].append(json.loads(line.decode("utf-8")))
            except ValueError:
                check.damaged.append(f"{path.name}, line {number}: {line[:40]!r}")
    for file_name, entries in lines_of.items():
        owner = owners.get(file_name)
        for entry in entries:
            if entry.get("kind") == "profile" and owner is not None and entry.get("participant") == owner.plan.name:
                continue
            if (owner is None or entry.get("participant") != owner.plan.name
                    or entry.get("exercise") not in owner.attempted
                    or any(o is not owner and o.plan.name + " on " in json.dumps(entry) for o in outcomes)):
                check.misplaced.append(f"{file_name}: {entry.get('participant')} {entry.get('exercise')}")
    for file_name, owner in owners.items():
        written = [json.dumps(e, ensure_ascii=False) for e in lines_of.get(file_name, [])
                   if e.get("participant") == owner.plan.name]
        for confirmation in owner.confirmed:
            found = any(f'"exercise": "{confirmation.exercise}"' in line
                        and all(json.dumps(t, ensure_ascii=False) in line for t in confirmation.texts)
                        for line in written)
            if not found:
                check.missing.append(f"{owner.plan.name}: {confirmation.exercise}")
    return check
