"""The facilitator's countdown, ticking in the browser: on the projector, and quietly on participants' pages.

The server sends how many seconds are left once, when the countdown starts
(or the page opens); the browser counts down on its own clock, so a room of
forty costs the server nothing per second, and a phone whose clock is wrong
still shows the right time left. `role="timer"` keeps screen readers from
announcing every second.
"""

from pathlib import Path

import ipyvue
import traitlets

TEMPLATE_FILE = Path(__file__).parent.parent / "assets" / "countdown.vue"


class Countdown(ipyvue.VueTemplate):
    template = traitlets.Unicode(TEMPLATE_FILE.read_text(encoding="utf-8")).tag(sync=True)
    active = traitlets.Bool(False).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    seconds = traitlets.Float(0.0).tag(sync=True)  # left when sent
    round = traitlets.Unicode("").tag(sync=True)  # changes with every countdown started: the browser restarts

    def show(self, label: str, seconds: float, round_id: str) -> None:
        """Start counting `seconds` from now in the browser (again, if `round_id` is new); no label: none runs."""
        with self.hold_sync():
            self.active = bool(label)
            self.label = label
            self.seconds = max(0.0, seconds)
            self.round = round_id
