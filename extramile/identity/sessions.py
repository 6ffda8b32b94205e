"""Who a browser is signed in as: an id the server made at sign-in, never one the browser brought.

A browser can arrive carrying any cookie: one planted by the person who used
the shared laptop before, or by a page on another port of the same machine
(cookies do not tell ports apart). Binding a sign-in to such a value would
hand the next person's journal to whoever chose it. So every sign-in makes a
fresh random id here (256 bits from `secrets`), the browser learns it only
from the server's HttpOnly cookie (extramile/room/session_cookie.py), and only its
SHA-256 is stored, with an expiry. Sign-out deletes the record, and an id is
never made twice, so a copied cookie never opens anything again.

The cookie is set by an HTTP answer, but a sign-in happens over the page's
websocket: the page is handed a one-time ticket, valid for a minute, that it
trades for the cookie (TICKETS).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from pathlib import Path

from extramile.store import atomic

SESSION_SECONDS = 12 * 60 * 60
TICKET_SECONDS = 60
PARTICIPANT = "participant"  # what a ticket sets: the participant's sign-in cookie...
CONSOLE = "console"  # ...or the facilitator console's
ENDED = ".ended"  # touched at every sign-out from every browser


def new_id() -> str:
    """A session id nobody can guess or choose: 32 random bytes."""
    return secrets.token_urlsafe(32)


def digest(session: str) -> str:
    return hashlib.sha256(session.encode()).hexdigest()


def label(session: str | None) -> str:
    """A short name for a session that the page may show (in a hidden marker): it opens nothing."""
    return digest(session)[:16] if session else ""


class Sessions:
    """Sign-ins by session id, kept beside the journal files (journal/.sessions/), hashed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, session: str) -> Path:
        return self.directory / f"{digest(session)}.json"

    def start(self, name: str, team: str) -> str:
        """A new session for someone who just proved who they are; the caller hands it to their browser."""
        session = new_id()
        self.update(session, name, team)
        return session

    def update(self, session: str, name: str, team: str) -> None:
        """The session now stands for this name and team (after a move to another team); raises OSError."""
        atomic.replace(self._path(session), {"name": name, "team": team, "expires": time.time() + SESSION_SECONDS})

    def resume(self, session: str | None) -> tuple[str, str] | None:
        """(name, team) this session id stands for, or None: unknown, ended, expired, or not an id we make."""
        if not session or len(session) > 200:
            return None
        try:
            record = json.loads(self._path(session).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("expires", 0) < time.time():
            return None
        return record["name"], record["team"]

    def end_all_of(self, name: str) -> None:
        """Sign a participant out of every browser: a sign-out on a borrowed phone ends the laptop's too.

        The moment is noted in ENDED, so the other processes of the room (serve
        --workers) have their open pages check their sessions too.
        """
        try:
            records = list(self.directory.glob("*.json"))
        except OSError:
            return
        for path in records:
            try:
                if json.loads(path.read_text(encoding="utf-8")).get("name") == name:
                    path.unlink(missing_ok=True)
            except (OSError, ValueError, AttributeError):
                continue
        try:
            (self.directory / ENDED).write_text(str(time.time()), encoding="utf-8")
        except OSError:
            return

    def last_ended(self) -> int:
        """When some participant last signed out everywhere (nanoseconds; 0: never here)."""
        try:
            return (self.directory / ENDED).stat().st_mtime_ns
        except OSError:
            return 0


class Tickets:
    """One-time tickets a page trades, over plain HTTP, for the cookie its sign-in (or sign-out) needs.

    Held in this process only, for a minute, and never more than MAX at once,
    so pages that never collect theirs cannot fill the memory.
    """

    MAX = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tickets: dict[str, tuple[float, str, str | None]] = {}

    def issue(self, kind: str, session: str | None) -> str:
        """A ticket that sets the `kind` cookie to `session`, or clears it when `session` is None."""
        ticket = secrets.token_urlsafe(24)
        now = time.monotonic()
        with self._lock:
            if len(self._tickets) >= self.MAX:
                self._tickets = {t: held for t, held in self._tickets.items() if held[0] > now}
                while len(self._tickets) >= self.MAX:
                    del self._tickets[next(iter(self._tickets))]
            self._tickets[ticket] = (now + TICKET_SECONDS, kind, session)
        return ticket

    def redeem(self, ticket: str) -> tuple[str, str | None] | None:
        """(kind, session) for a live ticket, once; None for a used, expired or made-up one."""
        with self._lock:
            held = self._tickets.pop(ticket, None)
        if held is None or held[0] < time.monotonic():
            return None
        return held[1], held[2]


TICKETS = Tickets()
