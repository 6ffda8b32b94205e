"""The browser's local date, sent once when the page shows.

The server only knows its own clock, and a participant's "this week" is the
week on their own calendar. An ipyvue template runs a line of JavaScript in
the browser and syncs the answer back as a trait, in the app and in
JupyterLab alike, with no script injected into the page.
"""

import ipyvue
import traitlets

TEMPLATE = """<template><span style="display: none"></span></template>
<script>
module.exports = {
  mounted() {
    const now = new Date();
    const two = (n) => String(n).padStart(2, "0");
    this.today = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  },
};
</script>
"""


class BrowserDate(ipyvue.VueTemplate):
    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    today = traitlets.Unicode("").tag(sync=True)
