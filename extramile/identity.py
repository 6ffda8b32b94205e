"""Who is at the keyboard: room sign-in with a passphrase, sessions, or the JupyterHub user.

In room mode anyone can type any name, so a name alone must never open a
journal: the first save claims the name with a passphrase, kept only as a
salted scrypt hash, and a later sign-in must match it. A signed-in browser is
known by the app server's HttpOnly session cookie; only that id's SHA-256 is
stored, with an expiry, so a leaked server log or journal folder reveals no
secret, and no token ever travels in a URL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from extramile.exceptions import SignInError
from extramile.journal import Journal, JournalError, clean_name, explain_os_error, file_stem_for

SESSION_SECONDS = 12 * 60 * 60
MIN_PASSPHRASE = 4
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
REFUSED = "That name and passphrase do not match. Check both and try again, or ask the facilitator."


@dataclass(frozen=True)
class Participant:
    name: str
    team: str


def hub_user() -> str | None:
    """The JupyterHub user name when running under a hub: the hub has already signed them in."""
    return os.environ.get("JUPYTERHUB_USER") or None


def _write_replacing(path: Path, data: dict) -> None:
    """Write the whole file or nothing: a temporary file, fsync'ed, renamed over the old one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _hash(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, **_SCRYPT)


def _write_new(path: Path, data: dict) -> bool:
    """Create the file only if it does not exist yet: the first of two racing tabs wins."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    return True


class Accounts:
    """Passphrases and sessions, kept beside the journal files in hidden folders."""

    def __init__(self, journal: Journal):
        self.journal = journal
        self._accounts = journal.directory / ".accounts"
        self._sessions = journal.directory / ".sessions"

    def _account_path(self, name: str) -> Path:
        return self._accounts / f"{file_stem_for(name)}.json"

    def sign_in(self, name: str, team: str, passphrase: str) -> Participant:
        """Sign in, claiming the name on first use. Raises SignInError with a message to show."""
        try:
            name = clean_name(name)
            team = clean_name(team, "team name")
        except JournalError as exc:
            raise SignInError(str(exc)) from None
        if len(passphrase) < MIN_PASSPHRASE:
            raise SignInError(f"Please choose a passphrase of at least {MIN_PASSPHRASE} characters.")
        path = self._account_path(name)
        salt = secrets.token_bytes(16)
        record = {"salt": salt.hex(), "scrypt": _hash(passphrase, salt).hex(), "n": _SCRYPT["n"]}
        try:
            created = _write_new(path, record)
            if not created:
                stored = json.loads(path.read_text(encoding="utf-8"))
                expected = bytes.fromhex(stored["scrypt"])
                if not hmac.compare_digest(_hash(passphrase, bytes.fromhex(stored["salt"])), expected):
                    raise SignInError(REFUSED)
        except OSError as exc:
            raise SignInError(explain_os_error(exc, self.journal.directory)) from None
        except (ValueError, KeyError):
            raise SignInError("This name's sign-in record is damaged: ask the facilitator to reset it.") from None
        self._record_team(name, team)
        return Participant(name, team)

    def hub_sign_in(self, name: str, team: str) -> Participant:
        """Under JupyterHub the hub has checked who this is; only the team is asked for."""
        try:
            participant = Participant(clean_name(name), clean_name(team, "team name"))
        except JournalError as exc:
            raise SignInError(str(exc)) from None
        self._record_team(participant.name, participant.team)
        return participant

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

    def end_session(self, browser_session: str) -> None:
        self._session_path(browser_session).unlink(missing_ok=True)
