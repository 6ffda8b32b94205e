"""Wrong passphrases for a name, counted on disk: after a few, each further try has to wait longer.

Anyone in the room can type anyone's name, so guessing a passphrase must be
slow. The first FREE_REFUSALS wrong passphrases in a row cost nothing; then
the name waits FIRST_WAIT seconds, doubling with every further refusal up to
LONGEST_WAIT. The count lives in a small file per name beside the accounts,
so restarting the server forgives nobody; a right passphrase, or the
facilitator (`python -m extramile accounts unlock NAME`), clears it. Each
refusal is logged with the name, never with what was typed.

Guesses sent all at once must not slip past the count: the sign-in checks a
name's passphrase inside `one_at_a_time(name)`, a lock per name (a locked
file, so tabs, threads and processes all queue), so thirty guesses arriving
together cost FREE_REFUSALS scrypt checks and then wait like any other.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from extramile.store import atomic

log = logging.getLogger(__name__)

FREE_REFUSALS = 5
FIRST_WAIT = 30.0
LONGEST_WAIT = 60 * 60.0


@dataclass(frozen=True)
class Lock:
    """A name's run of refusals, as the facilitator sees it."""

    name: str
    refusals: int
    wait: float  # seconds left before the next try is allowed; 0 when it may try now


def wait_after(refusals: int) -> float:
    """Seconds to wait after this many refusals in a row."""
    if refusals < FREE_REFUSALS:
        return 0.0
    return min(LONGEST_WAIT, FIRST_WAIT * 2 ** (refusals - FREE_REFUSALS))


class Throttle(atomic.RecordsByName):
    def _record(self, name: str) -> dict:
        try:
            record = atomic.read(self.path(name)) or {}
        except ValueError:
            record = {}
        return record if isinstance(record.get("refusals"), int) else {}

    def wait_left(self, name: str) -> float:
        """Seconds before this name may try again (0: now)."""
        record = self._record(name)
        if not record:
            return 0.0
        return max(0.0, record.get("last", 0) + wait_after(record["refusals"]) - time.time())

    @contextmanager
    def one_at_a_time(self, name: str) -> Iterator[None]:
        """Hold the name's lock: the wait, the check and the count of one attempt, with no other in between."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path(name).with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def refused(self, name: str) -> int:
        """Count one more wrong passphrase for the name; returns how many in a row."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # two tabs guessing at once both count
            refusals = self._record(name).get("refusals", 0) + 1
            atomic.replace(self.path(name), {"name": name, "refusals": refusals, "last": time.time()})
        finally:
            os.close(fd)
        if refusals >= FREE_REFUSALS:
            log.warning("Sign-in refused for %r: %d wrong passphrases in a row; next try in %.0f s",
                        name, refusals, wait_after(refusals))
        else:
            log.info("Sign-in refused for %r: wrong passphrase (%d in a row)", name, refusals)
        return refusals

    def clear(self, name: str) -> bool:
        """Forget the name's refusals; True if there were any."""
        try:
            self.path(name).unlink()
        except FileNotFoundError:
            return False
        return True

    def locks(self) -> list[Lock]:
        """Every name with refusals on record, most refused first."""
        found = []
        for path in self.directory.glob("*.json"):
            try:
                record = atomic.read(path) or {}
            except (OSError, ValueError):
                continue
            if isinstance(record.get("name"), str) and isinstance(record.get("refusals"), int):
                wait = max(0.0, record.get("last", 0) + wait_after(record["refusals"]) - time.time())
                found.append(Lock(record["name"], record["refusals"], wait))
        return sorted(found, key=lambda lock: (-lock.refusals, lock.name))
