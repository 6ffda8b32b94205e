"""What the facilitator decides for the whole room: which lessons are open, a message, what the projector shows.

One object per server process, shared by every tab: the facilitator's
console changes it, participants' pages follow it at once (each open page
listens, in its own tab's context). It is kept in the journal folder
(`.room.json`, written whole or not at all), so restarting the server in
the middle of a session keeps the pace, the message, the revealed results
and the moderation; and the report, which reads the same folder, leaves out
the cards the facilitator hid (`store.room_file.hidden_answers`).

Moderation names a shared answer by its journal entry id: an edit is a new
entry, so an approved card that is rewritten waits for approval again, and
no name is kept here. Hiding is a flag: the journal keeps its owner's words.

When several app processes serve the room (serve --workers), the console
is in one of them: each process holds its own RoomState on the same file, a
change is made under a lock on the file, over the latest version on disk,
and the other processes notice it within a second (refresh, called by
extramile/room/across_workers.py) and tell their pages.

Reset never deletes anything: it notes the moment (`counted_from`), and the
room's screens count only answers saved since, so a rehearsal disappears
from the projector while every journal keeps what was written.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from extramile.store import atomic
from extramile.store.room_file import ROOM_FILE, Pace, load_pace

log = logging.getLogger(__name__)
MAX_MESSAGE = 200


MAX_COUNTDOWN = 60 * 60


class RoomState:
    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / ROOM_FILE
        self._lock = threading.Lock()
        self._listeners: dict[object, Callable[[], None]] = {}
        self.pace = load_pace(directory)
        self._seen = self._on_disk()
        self.version = 0

    def _on_disk(self) -> tuple[int, int, int] | None:
        """What tells one version of the file from the next: its inode (a whole write makes a new one)."""
        try:
            found = os.stat(self.path)
        except OSError:
            return None
        return found.st_ino, found.st_mtime_ns, found.st_size

    def _save(self) -> None:
        try:
            atomic.replace(self.path, asdict(self.pace))
        except OSError as exc:
            log.warning("The room's pace could not be kept on disk (%s); it holds until the server stops", exc)
        self._seen = self._on_disk()

    def refresh(self) -> bool:
        """Take up a change another process made to the file; True (and every page told) if there was one."""
        if self._on_disk() == self._seen:
            return False
        return self._change(lambda pace: None)

    def _other_process_lock(self) -> int | None:
        """An exclusive lock on the room shared by every process on this folder (None: no folder to lock in)."""
        try:
            fd = os.open(self.path.with_name(ROOM_FILE + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return None
        fcntl.flock(fd, fcntl.LOCK_EX)
        return fd

    def subscribe(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call back (in whatever thread changed the room) until the function returned is called.

        The shape Solara's external-store hook expects (solara.toestand.use_sync_external_store):
        a tab's page subscribes when it mounts and Solara unsubscribes it when the tab closes.
        """
        token = object()
        with self._lock:
            self._listeners[token] = callback

        def unsubscribe() -> None:
            with self._lock:
                self._listeners.pop(token, None)
        return unsubscribe

    def _change(self, change: Callable[[Pace], None]) -> bool:
        with self._lock:
            fd = self._other_process_lock()
            try:
                seen = self._on_disk()
                if seen != self._seen:
                    self.pace, self._seen = load_pace(self.path.parent), seen
                before = asdict(self.pace)
                change(self.pace)
                if asdict(self.pace) != before:
                    self._save()
            finally:
                if fd is not None:
                    os.close(fd)
            self.version += 1
            listeners = list(self._listeners.values())
        for callback in listeners:
            try:
                callback()
            except Exception:  # noqa: BLE001 - one closed tab must not stop the room following
                log.exception("A page could not follow the room")
        return True

    def counted_from(self, exercise_id: str) -> str:
        """The exercise's last Reset as a journal timestamp ("" if none): answers before it were a rehearsal."""
        return self.pace.counted_from.get(exercise_id, "")

    def second_vote_open(self, exercise_id: str) -> bool:
        return exercise_id in self.pace.second_vote

    def is_open(self, notebook: str) -> bool:
        return notebook not in self.pace.locked

    def set_open(self, notebook: str, is_open: bool) -> None:
        def change(pace: Pace) -> None:
            pace.locked = [n for n in pace.locked if n != notebook] + ([] if is_open else [notebook])
        self._change(change)

    def say(self, message: str) -> None:
        """One line for every participant's page; an empty message takes it down."""
        line = " ".join(message.split())[:MAX_MESSAGE]

        def change(pace: Pace) -> None:
            pace.message, pace.message_at = line, time.time()
        self._change(change)

    def project(self, exercise_id: str) -> None:
        def change(pace: Pace) -> None:
            pace.projected = exercise_id
        self._change(change)

    def hide(self, entry_id: str, hidden: bool = True) -> None:
        """Take a shared answer off every wall and out of the report (or put it back)."""
        def change(pace: Pace) -> None:
            pace.hidden = [e for e in pace.hidden if e != entry_id] + ([entry_id] if hidden else [])
        self._change(change)

    def approve(self, entry_ids: list[str]) -> None:
        """Let shared answers onto the projector's wall ("approve all" passes every waiting one)."""
        def change(pace: Pace) -> None:
            pace.approved += [e for e in dict.fromkeys(entry_ids) if e not in pace.approved]
            pace.hidden = [e for e in pace.hidden if e not in entry_ids]
        self._change(change)

    def set_auto_approve(self, on: bool) -> None:
        def change(pace: Pace) -> None:
            pace.auto_approve = on
        self._change(change)

    def set_results_live(self, on: bool) -> None:
        def change(pace: Pace) -> None:
            pace.results_live = on
        self._change(change)

    def reveal(self, exercise_id: str, shown: bool = True) -> None:
        def change(pace: Pace) -> None:
            pace.revealed = [e for e in pace.revealed if e != exercise_id] + ([exercise_id] if shown else [])
        self._change(change)

    def reset(self, exercise_id: str, moment: str) -> None:
        """Count the exercise's answers from `moment` on (a journal timestamp): its results hidden, no second vote."""
        def change(pace: Pace) -> None:
            pace.counted_from[exercise_id] = moment
            pace.revealed = [e for e in pace.revealed if e != exercise_id]
            pace.second_vote.pop(exercise_id, None)
            if pace.countdown_for == exercise_id:
                pace.countdown_for, pace.countdown_ends = "", 0.0
        self._change(change)

    def open_second_vote(self, exercise_id: str, moment: str) -> None:
        """After the teams have talked it over: everyone may vote again on the scenario; results wait for Reveal."""
        def change(pace: Pace) -> None:
            pace.second_vote[exercise_id] = moment
            pace.revealed = [e for e in pace.revealed if e != exercise_id]
        self._change(change)

    def start_countdown(self, exercise_id: str, seconds: float) -> None:
        seconds = min(max(0.0, float(seconds)), MAX_COUNTDOWN)

        def change(pace: Pace) -> None:
            pace.countdown_for, pace.countdown_ends = exercise_id, time.time() + seconds
        self._change(change)

    def stop_countdown(self) -> None:
        def change(pace: Pace) -> None:
            pace.countdown_for, pace.countdown_ends = "", 0.0
        self._change(change)
