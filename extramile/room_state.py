"""What the facilitator decides for the whole room: which lessons are open, a message, what the projector shows.

One object per server process, shared by every tab: the facilitator's
console changes it, participants' pages follow it at once (each open page
listens, in its own tab's context). It is kept in the journal folder
(`.room.json`, written whole or not at all), so restarting the server in
the middle of a session keeps the pace, the message and the hidden cards.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)
MAX_MESSAGE = 200


@dataclass
class Pace:
    locked: list[str] = field(default_factory=list)  # notebook names participants cannot open yet
    message: str = ""
    message_at: float = 0.0
    projected: str = ""  # the exercise id on the projector
    hidden: list[str] = field(default_factory=list)  # wall cards the facilitator took down


class RoomState:
    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / ".room.json"
        self._lock = threading.Lock()
        self._listeners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.pace = self._load()
        self.version = 0

    def _load(self) -> Pace:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return Pace(**{k: v for k, v in raw.items() if k in Pace.__dataclass_fields__})
        except FileNotFoundError:
            return Pace()
        except (OSError, ValueError, TypeError) as exc:
            log.warning("Starting with an open room: %s could not be read (%s)", self.path, exc)
            return Pace()

    def _save(self) -> None:
        temporary = self.path.with_name(f".room.{secrets.token_hex(4)}.tmp")
        try:
            temporary.write_text(json.dumps(asdict(self.pace)), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:
            log.warning("The room's pace could not be kept on disk (%s); it holds until the server stops", exc)
            temporary.unlink(missing_ok=True)

    def listen(self, owner: object, callback: Callable[[], None]) -> None:
        """Call back (in whatever thread changed the room) while `owner` lives."""
        with self._lock:
            self._listeners[owner] = callback

    def _change(self, change: Callable[[Pace], None]) -> None:
        with self._lock:
            change(self.pace)
            self.version += 1
            self._save()
            listeners = list(self._listeners.values())
        for callback in listeners:
            try:
                callback()
            except Exception:  # noqa: BLE001 - one closed tab must not stop the room following
                log.exception("A page could not follow the room")

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

    def hide(self, card: str) -> None:
        def change(pace: Pace) -> None:
            if card not in pace.hidden:
                pace.hidden.append(card)
        self._change(change)
