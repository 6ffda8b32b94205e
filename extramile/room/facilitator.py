"""Who may open the facilitator's console: the holder of the passphrase `make workshop` printed.

The console sees the whole room, so it is closed to anyone without the
passphrase: generated at start (or taken from FACILITATOR_PASSPHRASE) and
kept in this process only as a salted scrypt hash (extramile.identity.passphrases'
hash, as participants' passphrases are). `python -m extramile serve` sets
it up (configure) before the first page is built; asked for before that,
the console raises ConsoleNotConfigured instead of inventing a passphrase
nobody knows. A browser that gave it is
given a new session id made here (never one it brought: extramile.identity.sessions)
in a cookie of its own, remembered by its hash until the server stops.

Guessing is slow for everyone at once: passphrases are checked one at a
time, and after a wrong one nobody, from any tab or browser, is checked
again for PAUSE_AFTER_WRONG seconds. Twenty guesses sent together take
forty seconds, not two. A generated passphrase is four words from a list of
256 and a three-digit number: 2^32 * 900, about 41.8 bits.
"""

from __future__ import annotations

import hmac
import math
import secrets
import threading
import time
from functools import cache
from pathlib import Path

from extramile.exceptions import ConsoleNotConfigured
from extramile.identity.passphrases import scrypt_hash
from extramile.identity.sessions import digest, new_id

WORD_LIST = Path(__file__).with_name("console_words.txt")
NUMBERS = range(100, 1000)
PAUSE_AFTER_WRONG = 2.0


@cache
def words() -> tuple[str, ...]:
    """Short, plain words, easy to read out across a room and to type from a terminal."""
    return tuple(line.strip() for line in WORD_LIST.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#"))


def new_passphrase() -> str:
    """Four words and a three-digit number, such as `amber-birch-cedar-delta-417`."""
    return "-".join([*(secrets.choice(words()) for _ in range(4)), str(secrets.choice(NUMBERS))])


def passphrase_bits() -> float:
    """How many bits of chance a generated passphrase holds."""
    return 4 * math.log2(len(set(words()))) + math.log2(len(NUMBERS))


class Console:
    def __init__(self, passphrase: str, pause_after_wrong: float | None = None) -> None:
        self._salt = secrets.token_bytes(16)
        self._hash = scrypt_hash(passphrase, self._salt)
        self._signed_in: set[str] = set()
        self._lock = threading.Lock()
        self._door = threading.Lock()  # one check at a time, whoever sends it
        self._next_check = 0.0
        self.pause_after_wrong = PAUSE_AFTER_WRONG if pause_after_wrong is None else pause_after_wrong

    def sign_in(self, attempt: str) -> str | None:
        """A new console session id when the passphrase is right, else None (after the room-wide pause)."""
        with self._door:
            time.sleep(max(0.0, self._next_check - time.monotonic()))
            right = hmac.compare_digest(scrypt_hash(attempt, self._salt), self._hash)
            if not right:
                self._next_check = time.monotonic() + self.pause_after_wrong
                return None
        session = new_id()
        with self._lock:
            self._signed_in.add(digest(session))
        return session

    def admits(self, session: str | None) -> bool:
        with self._lock:
            return bool(session) and digest(session) in self._signed_in

    def sign_out(self, session: str | None) -> None:
        if session:
            with self._lock:
                self._signed_in.discard(digest(session))


_console: Console | None = None


def configure(passphrase: str) -> None:
    """Set at server start (serve.py), before the first page is built."""
    global _console
    _console = Console(passphrase)


def console() -> Console:
    """The server's console door, as serve configured it; ConsoleNotConfigured before that."""
    if _console is None:
        raise ConsoleNotConfigured()
    return _console
