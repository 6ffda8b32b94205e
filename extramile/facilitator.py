"""Who may open the facilitator's console: the holder of the passphrase `make workshop` printed.

The console sees the whole room, so it is closed to anyone without the
passphrase: generated at start (or taken from FACILITATOR_PASSPHRASE) and
kept in this process only as a salted scrypt hash. A browser that gave it is
remembered by a hash of its session cookie until the server stops. A wrong
guess costs the guesser a pause, so the passphrase cannot be tried quickly.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time

WORDS = ("amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "island", "juniper", "kestrel",
         "lagoon", "meadow", "north", "orchid", "prairie", "quartz", "river", "summit", "tundra", "upland",
         "valley", "willow", "yonder", "zephyr", "canyon", "dune", "glacier", "heather", "lantern", "maple", "pebble")
PAUSE_AFTER_WRONG = 2.0
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def new_passphrase() -> str:
    """Three words and a number: easy to read out or type from a terminal, about 30 bits of chance."""
    return "-".join([*(secrets.choice(WORDS) for _ in range(3)), str(secrets.randbelow(90) + 10)])


def _key(browser_session: str) -> str:
    return hashlib.sha256(browser_session.encode()).hexdigest()


class Console:
    def __init__(self, passphrase: str) -> None:
        self._salt = secrets.token_bytes(16)
        self._hash = hashlib.scrypt(passphrase.encode(), salt=self._salt, **_SCRYPT)
        self._signed_in: set[str] = set()
        self._lock = threading.Lock()

    def sign_in(self, browser_session: str | None, attempt: str) -> bool:
        """True and remembered for this browser when the passphrase is right; a wrong one pauses the guesser."""
        right = hmac.compare_digest(hashlib.scrypt(attempt.encode(), salt=self._salt, **_SCRYPT), self._hash)
        if not right or not browser_session:
            time.sleep(PAUSE_AFTER_WRONG)
            return False
        with self._lock:
            self._signed_in.add(_key(browser_session))
        return True

    def admits(self, browser_session: str | None) -> bool:
        with self._lock:
            return bool(browser_session) and _key(browser_session) in self._signed_in

    def sign_out(self, browser_session: str | None) -> None:
        if browser_session:
            with self._lock:
                self._signed_in.discard(_key(browser_session))


_console: Console | None = None


def configure(passphrase: str) -> None:
    """Set at server start (serve.py), before the first page is built."""
    global _console
    _console = Console(passphrase)


def console() -> Console:
    """The server's console door; a random one (nobody knows it) if the server never set one."""
    if _console is None:
        configure(os.environ.get("FACILITATOR_PASSPHRASE") or secrets.token_urlsafe(24))
    return _console
