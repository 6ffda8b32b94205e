"""What the app processes behind one address (serve --workers) tell each other, through the journal folder.

Each process serves the browsers HAProxy keeps on it (extramile/server/workers.py),
but the room is one. Journals, accounts, sign-ins and refusals are files
already; three things lived in one process's memory and pass here instead:

- the room's pace: the console's process writes `.room.json`; every other
  process looks at the file twice a second and, when it changed, tells its
  pages (RoomState.refresh), so a lock reaches every page within a second;
- who is online: each process writes, every second, a digest of each
  person it has online (`.online/<process>.json`); the console counts
  everyone in the files written in the last ONLINE_FRESH seconds;
- sign-outs: a sign-out that ends a person's sessions in other browsers
  notes the moment (Sessions.end_all_of); each process then has its open
  pages check their sessions, as the signing-out process does.

A single process (EXTRAMILE_WORKER unset) starts none of this: its own
memory is the whole room.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from pathlib import Path

from extramile.identity.sessions import Sessions
from extramile.room.browser_tabs import TABS
from extramile.room.room_state import RoomState
from extramile.store import atomic

log = logging.getLogger(__name__)

ONLINE_FOLDER = ".online"
LOOK_EVERY = 0.5  # seconds between looks at the room's file
PUBLISH_EVERY = 1.0  # seconds between writes of who is online here
ONLINE_FRESH = 10.0  # a process that has not written for this long has ended


def this_worker() -> str:
    """The name serve --workers gave this process ("w1", "w2", ...), or "" when it is the only one."""
    return os.environ.get("EXTRAMILE_WORKER", "")


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


def people_online(directory: Path) -> int:
    """Different people with a signed-in page open now, in this process and in every other."""
    people = {_digest(name) for name in TABS.people_online()}
    worker = this_worker()
    if worker:
        for path in (directory / ONLINE_FOLDER).glob("*.json"):
            if path.stem == worker:
                continue
            try:
                record = atomic.read(path) or {}
            except (OSError, ValueError):
                continue
            if time.time() - record.get("at", 0) < ONLINE_FRESH and isinstance(record.get("people"), list):
                people.update(str(person) for person in record["people"])
    return len(people)


class Messenger:
    """The thread of one process that reads what the others changed and writes who is online here."""

    def __init__(self, room: RoomState, directory: Path, worker: str) -> None:
        self.room, self.worker = room, worker
        self.online_file = directory / ONLINE_FOLDER / f"{worker}.json"
        self.sessions = Sessions(directory / ".sessions")
        self.ended = self.sessions.last_ended()
        self.published = 0.0

    def look(self) -> None:
        """One round: the room's file, the sign-outs, and (once a second) who is online here."""
        self.room.refresh()
        ended = self.sessions.last_ended()
        if ended != self.ended:
            self.ended = ended
            TABS.tell_others(None)
        if time.monotonic() - self.published >= PUBLISH_EVERY:
            self.published = time.monotonic()
            people = sorted(_digest(name) for name in TABS.people_online())
            atomic.replace(self.online_file, {"at": time.time(), "people": people})

    def run_forever(self) -> None:
        while True:
            try:
                self.look()
            except Exception:  # noqa: BLE001 - a full disk must not stop the room following the console
                log.exception("Could not follow the other processes of the room")
            time.sleep(LOOK_EVERY)


def start(room: RoomState, directory: Path) -> threading.Thread | None:
    """Follow the other processes of the room, if there are any; the thread lives as long as the process."""
    worker = this_worker()
    if not worker:
        return None
    messenger = Messenger(room, directory, worker)
    thread = threading.Thread(target=messenger.run_forever, name="extramile-across-workers", daemon=True)
    thread.current_context = None  # Solara's patched Thread: this one belongs to no tab
    thread.start()
    return thread
