"""Who is at the keyboard: room sign-in with a passphrase, sessions, or the JupyterHub user.

In room mode anyone can type any name, so a name alone must never open a
journal: the first save claims the name with a passphrase, kept only as a
salted scrypt hash, and a later sign-in must match it. A signed-in browser is
known by the app server's HttpOnly session cookie; only that id's SHA-256 is
stored, with an expiry, so a leaked server log or journal folder reveals no
secret, and no token ever travels in a URL. Guessing is slowed per name
(extramile.throttle), look-alike names cannot both be claimed
(extramile.confusables), and a team is not changed behind the participant's
back: a different team asks first.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from extramile import atomic
from extramile.confusables import Lookalikes
from extramile.exceptions import JournalError, NewPassphraseNeeded, SignInError
from extramile.journal import Journal, clean_name, explain_os_error
from extramile.passphrases import Passphrases, Verdict
from extramile.teams import Teams, team_key
from extramile.throttle import Throttle

SESSION_SECONDS = 12 * 60 * 60
MIN_PASSPHRASE = 4
REFUSED = "That name and passphrase do not match. Check both and try again, or ask the facilitator."
LOOKALIKE = ("That name looks just like one already taken here (the same letters in other capitals or from "
             "another alphabet). If it is yours, type it exactly as the first time; if not, add something "
             "to tell you apart, such as an initial.")
CODE_ACCEPTED = ("Reset code accepted. Now choose a new passphrase of at least {} characters, type it in the "
                 "passphrase box and press Sign in.")
CODE_EXPIRED = "That reset code has expired: ask the facilitator for a new one."


@dataclass(frozen=True)
class Participant:
    name: str
    team: str
    asks_team: str | None = field(default=None, compare=False)  # typed a different team: move only once confirmed


def hub_user() -> str | None:
    """The JupyterHub user name when running under a hub: the hub has already signed them in."""
    return os.environ.get("JUPYTERHUB_USER") or None


def _write_replacing(path: Path, data: dict) -> None:
    """Write the whole file or nothing: a temporary file, fsync'ed, renamed over the old one."""
    atomic.replace(path, data)


def _wait_message(seconds: float) -> str:
    wait = f"{int(seconds) + 1} seconds" if seconds < 90 else f"{round(seconds / 60)} minutes"
    return (f"Too many wrong passphrases for this name. Please wait {wait} and try again, "
            "or ask the facilitator.")


class Accounts:
    """Passphrases and sessions, kept beside the journal files in hidden folders."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._accounts = journal.directory / ".accounts"
        self._sessions = journal.directory / ".sessions"
        self.passphrases = Passphrases(self._accounts)
        self.lookalikes = Lookalikes(journal.directory / ".lookalikes")
        self.throttle = Throttle(journal.directory / ".refusals")
        self.teams = Teams.for_journal(journal.directory)

    def sign_in(self, name: str, team: str, passphrase: str, new_passphrase: str | None = None) -> Participant:
        """Sign in, claiming the name on first use. Raises SignInError with a message to show.

        A wrong passphrase costs one scrypt and counts toward the name's wait
        (extramile.throttle). After the facilitator's reset, the code is the
        passphrase: NewPassphraseNeeded asks for `new_passphrase`. A team other
        than last time's comes back as `asks_team` (see move_team).
        """
        try:
            name = clean_name(name)
        except JournalError as exc:
            raise SignInError(str(exc)) from None
        team = self.teams.display(team)
        if len(passphrase) < MIN_PASSPHRASE:
            raise SignInError(f"Please choose a passphrase of at least {MIN_PASSPHRASE} characters.")
        wait = self.throttle.wait_left(name)
        if wait:
            raise SignInError(_wait_message(wait))
        try:
            if self.passphrases.exists(name):
                self._check(name, passphrase, new_passphrase)
                self.lookalikes.claim(name)  # a name claimed before look-alikes were kept
            elif not self.lookalikes.claim(name):
                raise SignInError(LOOKALIKE)
            elif not self.passphrases.claim(name, passphrase):
                self._check(name, passphrase, new_passphrase)  # another tab claimed it a moment ago
            self.throttle.clear(name)
        except OSError as exc:
            raise SignInError(explain_os_error(exc, self.journal.directory)) from None
        except (ValueError, KeyError):
            raise SignInError("This name's sign-in record is damaged: ask the facilitator to reset it.") from None
        return self._arrive(name, team)

    def _check(self, name: str, passphrase: str, new_passphrase: str | None) -> None:
        verdict = self.passphrases.check(name, passphrase)
        if verdict is Verdict.WRONG:
            self.throttle.refused(name)
            raise SignInError(REFUSED)
        if verdict is Verdict.EXPIRED:
            raise SignInError(CODE_EXPIRED)
        if verdict is Verdict.RESET:
            if new_passphrase is None:
                raise NewPassphraseNeeded(CODE_ACCEPTED.format(MIN_PASSPHRASE))
            if len(new_passphrase) < MIN_PASSPHRASE:
                raise NewPassphraseNeeded(f"Please choose a new passphrase of at least {MIN_PASSPHRASE} characters.")
            self.passphrases.change(name, new_passphrase)

    def hub_sign_in(self, name: str, team: str) -> Participant:
        """Under JupyterHub the hub has checked who this is; only the team is asked for."""
        try:
            name = clean_name(name)
        except JournalError as exc:
            raise SignInError(str(exc)) from None
        return self._arrive(name, self.teams.display(team))

    def _arrive(self, name: str, team: str) -> Participant:
        """Signed in: in the team of last time, asking first if another was typed."""
        current = self.team_of(name)
        if current is not None and team_key(current) != team_key(team):
            return Participant(name, current, asks_team=team)
        if current is None:
            self._record_team(name, team)
        return Participant(name, current or team)

    def move_team(self, participant: Participant, team: str) -> Participant:
        """Move a signed-in participant to another team, once they have confirmed it."""
        moved = Participant(participant.name, self.teams.display(team))
        self._record_team(moved.name, moved.team)
        return moved

    def team_of(self, name: str) -> str | None:
        """The team from the participant's latest profile entry, if they have signed in before."""
        profiles = [e for e in self.journal.entries(name) if e["kind"] == "profile"]
        return profiles[-1]["team"] if profiles else None

    def _record_team(self, name: str, team: str) -> None:
        """A profile entry marks that the person signed in and which team they are in now."""
        profiles = [e for e in self.journal.entries(name) if e["kind"] == "profile"]
        if profiles and profiles[-1]["team"] == team:
            return
        try:
            self.journal.append(participant=name, team=team, kind="profile", answer={"team": team},
                                replaces=profiles[-1]["id"] if profiles else None)
        except JournalError as exc:
            raise SignInError(str(exc)) from None

    def _session_path(self, browser_session: str) -> Path:
        return self._sessions / f"{hashlib.sha256(browser_session.encode()).hexdigest()}.json"

    def start_session(self, participant: Participant, browser_session: str) -> None:
        """Remember who signed in from this browser; only a hash of the browser's session id is stored.

        A new sign-in from the same browser replaces the old record, so a shared
        laptop signs the next person in as themselves, never as the last one.
        """
        record = {"name": participant.name, "team": participant.team, "expires": time.time() + SESSION_SECONDS}
        path = self._session_path(browser_session)
        try:
            _write_replacing(path, record)
        except OSError as exc:
            raise SignInError(explain_os_error(exc, self.journal.directory)) from None

    def resume(self, browser_session: str | None) -> Participant | None:
        """Who is signed in from this browser, or None when nobody is, or their session expired."""
        if not browser_session or len(browser_session) > 200:
            return None
        try:
            record = json.loads(self._session_path(browser_session).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("expires", 0) < time.time():
            return None
        return Participant(record["name"], record["team"])

    def end_sessions_of(self, name: str) -> None:
        """Sign a participant out of every browser: a sign-out on a borrowed phone ends the laptop's too."""
        try:
            records = list(self._sessions.glob("*.json"))
        except OSError:
            return
        for path in records:
            try:
                if json.loads(path.read_text(encoding="utf-8")).get("name") == name:
                    path.unlink(missing_ok=True)
            except (OSError, ValueError, AttributeError):
                continue
