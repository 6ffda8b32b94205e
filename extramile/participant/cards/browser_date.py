"""The browser's local date, sent once when the page shows.

The server only knows its own clock, and a participant's "this week" is the
week on their own calendar. An ipyvue template (assets/browser_date.vue)
runs a line of JavaScript in the browser and syncs the answer back as a
trait, in the app and in JupyterLab alike, with no script injected into the page.
"""

from pathlib import Path

import ipyvue
import traitlets

TEMPLATE_FILE = Path(__file__).parents[2] / "assets" / "browser_date.vue"


class BrowserDate(ipyvue.VueTemplate):
    template = traitlets.Unicode(TEMPLATE_FILE.read_text(encoding="utf-8")).tag(sync=True)
    today = traitlets.Unicode("").tag(sync=True)
