"""The facilitator's decisions for the room as kept in the journal folder (`.room.json`).

The room (extramile.room.room_state) writes them; the views that show shared
words (the report, the summary, the team wall) read the moderation flags here
too, so a card the facilitator hid is gone everywhere without those views
depending on the live room.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

ROOM_FILE = ".room.json"


@dataclass
class Pace:
    locked: list[str] = field(default_factory=list)  # notebook names participants cannot open yet
    message: str = ""
    message_at: float = 0.0
    projected: str = ""  # the exercise id on the projector
    hidden: list[str] = field(default_factory=list)  # entry ids of shared answers taken down everywhere
    approved: list[str] = field(default_factory=list)  # entry ids of shared answers allowed on the projector
    auto_approve: bool = False  # every shared answer goes on the wall as it arrives
    results_live: bool = False  # results show as they come in, without Reveal
    revealed: list[str] = field(default_factory=list)  # exercises whose results the facilitator revealed
    counted_from: dict[str, str] = field(default_factory=dict)  # exercise -> its last Reset (journal timestamp)
    second_vote: dict[str, str] = field(default_factory=dict)  # scenario -> when its second vote opened
    countdown_for: str = ""  # the exercise a countdown runs for
    countdown_ends: float = 0.0  # when it ends (seconds since the epoch, this server's clock)

    def shows_results(self, exercise_id: str) -> bool:
        return self.results_live or exercise_id in self.revealed

    def on_wall(self, entry_id: str) -> bool:
        """Whether a shared answer may go on the projector: approved (or all are), and not hidden."""
        return entry_id not in self.hidden and (self.auto_approve or entry_id in self.approved)

    def countdown_left(self, now: float | None = None) -> float:
        """Seconds left on the countdown, 0 when none runs."""
        return max(0.0, self.countdown_ends - (time.time() if now is None else now)) if self.countdown_for else 0.0


def load_pace(directory: Path) -> Pace:
    """The room as last saved in a journal folder; an open, empty room when there is none or it is unreadable."""
    path = Path(directory) / ROOM_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        pace = Pace(**{k: v for k, v in raw.items() if k in Pace.__dataclass_fields__})
    except FileNotFoundError:
        return Pace()
    except (OSError, ValueError, TypeError) as exc:
        log.warning("Starting with an open room: %s could not be read (%s)", path, exc)
        return Pace()
    if not all(isinstance(getattr(pace, name), kind) for name, kind in _SHAPES.items()):
        log.warning("Starting with an open room: %s holds something unexpected", path)
        return Pace()
    return pace


_SHAPES = {"locked": list, "hidden": list, "approved": list, "revealed": list, "counted_from": dict,
           "second_vote": dict, "message": str, "projected": str, "countdown_for": str}


def hidden_answers(directory: Path | None) -> frozenset[str]:
    """Entry ids of the shared answers the facilitator hid, for every view that shows shared words."""
    if directory is None:
        return frozenset()
    return frozenset(load_pace(directory).hidden)
