"""Team names: one team however it is typed, and, if the facilitator says so, only the teams they set.

"blue", "Blue" and " Blue " are one team, and so is "Вlue" with a Cyrillic
"В": names are matched by team_key (trimmed, then the look-alike skeleton of
extramile.identity.confusables: NFKC, casefolded, letters that look alike as one), and
the spelling first seen in the room is the one shown everywhere after. Each first spelling is kept as a small file
beside the journals, created atomically, so two people typing "blue" and
"Blue" at the same moment still end up in one team.

A facilitator who knows the teams can list them, in EXTRAMILE_TEAMS
("Blue,Green") or, one per line, in the file EXTRAMILE_TEAMS_FILE
(`make workshop TEAMS="Blue,Green"` sets the first). Sign-in then offers a
list to pick from and accepts nothing else.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from extramile.exceptions import JournalError, SignInError, TeamsFileError
from extramile.identity.confusables import skeleton
from extramile.names import clean_name
from extramile.store import atomic


def team_key(name: str) -> str:
    """What two spellings of one team have in common: how they look."""
    return skeleton(unicodedata.normalize("NFKC", name).strip())


def current_team(entries: Iterable[dict]) -> str | None:
    """The team a participant is in now, from their own entries oldest first: what their newest profile says.

    A profile entry is written at first sign-in and at every move, its answer
    naming the team moved to; before profiles, the newest entry's team. None when
    no entry names one. Sign-in, the journal service and the summary all ask this,
    the summary for a thousand journals a refresh: so it reads from the newest end.
    """
    entries = entries if isinstance(entries, Sequence) else list(entries)
    for entry in reversed(entries):
        if entry.get("kind") == "profile":
            answer = entry.get("answer")
            profiled = _written(answer.get("team") if isinstance(answer, dict) else None) or _written(entry.get("team"))
            if profiled is not None:
                return profiled
            break
    for entry in reversed(entries):
        if entry.get("kind") != "profile" and (team := _written(entry.get("team"))) is not None:
            return team
    return None


def _written(team: object) -> str | None:
    """A team name as written in an entry, trimmed; None for a blank or a value that is not text."""
    return team.strip() or None if isinstance(team, str) else None


def configured_teams(environ: Mapping[str, str] = os.environ) -> list[str] | None:
    """The facilitator's list of teams, in their spelling, or None when sign-in accepts any team."""
    listed = environ.get("EXTRAMILE_TEAMS", "")
    names = listed.split(",")
    path = environ.get("EXTRAMILE_TEAMS_FILE", "")
    if path:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise TeamsFileError(f"The teams file {path} (EXTRAMILE_TEAMS_FILE) cannot be read: {exc}. "
                                 "Fix the path or unset it.") from exc
        names += [line for line in lines if not line.lstrip().startswith("#")]
    teams: dict[str, str] = {}
    for name in names:
        if name.strip():
            try:
                team = clean_name(name, "team name")
            except JournalError as exc:
                raise TeamsFileError(f"The team list has a name that cannot be used ({name!r}): {exc}") from exc
            teams.setdefault(team_key(team), team)
    return list(teams.values()) or None


class Teams:
    """The room's teams: the facilitator's list, or the first spelling of each team typed so far."""

    def __init__(self, directory: Path | None, allowed: list[str] | None = None) -> None:
        self.directory = directory  # None: no folder to keep first spellings in (under a hub)
        self.allowed = allowed

    @classmethod
    def for_journal(cls, journal_directory: Path | None) -> Teams:
        """The teams of the room whose journal folder this is; under a hub (None) each as typed, matched by team_key."""
        return cls(journal_directory / ".teams" if journal_directory is not None else None, configured_teams())

    def display(self, typed: str) -> str:
        """The team as it will be stored and shown; SignInError when it is not one of the listed teams."""
        try:
            team = clean_name(typed, "team name")
        except JournalError as exc:
            raise SignInError(str(exc)) from None
        key = team_key(team)
        if self.allowed is not None:
            for listed in self.allowed:
                if team_key(listed) == key:
                    return listed
            raise SignInError(f"There is no team called {team} here: please choose one of "
                              f"{', '.join(self.allowed)}.")
        if self.directory is None:
            return team
        path = self.directory / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}.json"
        try:
            first = atomic.read(path)
            if first is None and atomic.create(path, {"team": team}):
                return team
            first = first or atomic.read(path) or {}
        except (OSError, ValueError):
            return team  # the spelling registry is a nicety: never refuse a sign-in over it
        return first["team"] if isinstance(first.get("team"), str) and team_key(first["team"]) == key else team


def one_spelling_per_team(spellings: set[str], entry_team: Sequence[str],
                           at: Sequence[object]) -> dict[str, str] | None:
    """For the summary: each spelling of a team -> the one first seen in the entries (`entry_team` saved `at`).

    None when no two spellings meet (the usual case), so the caller renames nothing.
    """
    keys = {spelling: team_key(spelling) for spelling in spellings}
    if len(set(keys.values())) == len(keys):
        return None
    first_seen: dict[str, str] = {}
    for spelling, moment in zip(entry_team, at):
        if type(moment) is str and moment < first_seen.get(spelling, "~"):
            first_seen[spelling] = moment
    display: dict[str, str] = {}
    for spelling in sorted(spellings, key=lambda s: (first_seen.get(s, "~"), s)):
        display.setdefault(keys[spelling], spelling)
    return {spelling: display[keys[spelling]] for spelling in spellings}
