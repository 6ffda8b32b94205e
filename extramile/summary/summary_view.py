"""The facilitator's live summary in JupyterLab: the report's sections, refreshed on demand or every 30 s.

`show_summary()` is the whole notebook. The view shows exactly what the HTML
report shows (extramile.summary.report builds the sections from extramile.summary.metrics
and extramile.summary.charts), so the room sees the same numbers live as on paper.
It reads the journal the environment names (extramile.store.journal_store.open_journal:
EXTRAMILE_JOURNAL_DIR, or the journal service under a hub) unless one is
passed in. It is for the facilitator's own JupyterLab, never for the
participants' server: it sees the whole room.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import ipywidgets as w
from IPython.display import display
from markupsafe import Markup

from extramile.content import EXERCISES_DIR, Catalog
from extramile.exceptions import ExtraMileError
from extramile.store.journal_store import JournalStore, open_journal
from extramile.summary import metrics, report, report_sections
from extramile.summary.journal_frame import load_frame
from extramile.summary.load_report import LoadReport
from extramile.summary.metrics import Window

AUTO_REFRESH_SECONDS = 30
TABS = ("During the workshop", "Over the weeks", "Shared answers")


class SummaryView:
    """Widgets plus the last frame read; refresh() re-reads the journals, render() re-draws from memory."""

    def __init__(self, journal: JournalStore, content_dir: Path = EXERCISES_DIR,
                 interval: float = AUTO_REFRESH_SECONDS) -> None:
        self.journal = journal
        self.content_dir = content_dir
        self.catalog: Catalog | None = None
        self.interval = interval
        self.frame = None
        self.loaded: LoadReport | None = None
        self.updated: datetime | None = None
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._timer: threading.Thread | None = None
        self._quiet = False  # set while we change several filters at once: draw once, not per change

        self.refresh_button = w.Button(description="Refresh", icon="refresh", button_style="primary",
                                       tooltip="Read every journal again")
        self.auto = w.Checkbox(value=False, description=f"Refresh every {interval:g} s", indent=False,
                               layout=w.Layout(width="auto", margin="0 16px"))
        self.status = w.HTML()
        self.teams = w.SelectMultiple(options=[], rows=4, description="Teams",
                                      layout=w.Layout(width="320px"))
        self.start = w.DatePicker(description="From", layout=w.Layout(width="230px"))
        self.end = w.DatePicker(description="To", layout=w.Layout(width="230px"))
        self.clear_button = w.Button(description="All teams, all dates", icon="times")
        self.pages = [w.HTML() for _ in TABS]
        self.tabs = w.Tab(children=self.pages, titles=TABS)

        self.refresh_button.on_click(lambda _button: self.refresh())
        self.clear_button.on_click(lambda _button: self.clear_filters())
        self.auto.observe(self._toggle_auto, names="value")
        for control in (self.teams, self.start, self.end):
            control.observe(self._filter_changed, names="value")

        hint = w.HTML("<span style='color:#656d76'>No team chosen means all teams; Ctrl- or Cmd-click "
                      "to choose several.<br>Weekly entries count on the Monday of their week.</span>")
        self.widget = w.VBox([
            w.HTML(Markup("<style>{}</style>").format(Markup(report.style()))),
            w.HBox([self.refresh_button, self.auto, self.status],
                   layout=w.Layout(align_items="center", flex_flow="row wrap")),
            w.HBox([self.teams, w.VBox([self.start, self.end, self.clear_button],
                                       layout=w.Layout(margin="0 16px")), hint],
                   layout=w.Layout(align_items="flex-start", flex_flow="row wrap", margin="8px 0")),
            self.tabs,
        ])

    # --- reading and drawing ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Read every journal again and redraw; on failure say why and keep what was shown."""
        with self._lock:
            self.refresh_button.disabled = True
            try:
                if self.catalog is None:
                    self.catalog = Catalog.from_content(self.content_dir)
                self.frame, self.loaded = load_frame(self.journal, catalog=self.catalog)
            except (ExtraMileError, OSError) as exc:
                self._say(f"Could not read the journals: {exc}", error=True)
                return
            finally:
                self.refresh_button.disabled = False
            self.updated = datetime.now().astimezone()
            self._update_team_choices()
            self.render()

    def render(self) -> None:
        """Redraw every tab from the frame in memory, with the current filters."""
        with self._lock:
            if self.frame is None:
                return
            window = self.window()
            workshop = report.render_sections(report_sections.workshop_sections(self.frame, self.catalog, window))
            weekly = report.render_sections(report_sections.weekly_sections(self.frame, self.catalog, window))
            wall = report.render_sections([report_sections.wall_section(self.frame, self.catalog, window)])
            for page, body in zip(self.pages, (report.notes(self.loaded) + workshop, weekly, wall)):
                page.value = Markup("<div class='emr'>{}</div>").format(body)
            self._say(self._status_line())

    def window(self) -> Window:
        """The current filters, as the figures take them."""
        return Window(tuple(self.teams.value), self.start.value, self.end.value)

    def clear_filters(self) -> None:
        with self._lock, self._quietly():
            self.teams.value = ()
            self.start.value = None
            self.end.value = None
        self.render()

    def _filter_changed(self, _change: dict) -> None:
        if not self._quiet:
            self.render()

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def _update_team_choices(self) -> None:
        chosen = set(self.teams.value)
        names = metrics.teams_in(self.frame)
        if list(self.teams.options) != names:
            with self._quietly():
                self.teams.options = names
                self.teams.value = tuple(name for name in names if name in chosen)

    def _status_line(self) -> str:
        when = f"Last updated {self.updated:%H:%M:%S}" if self.updated else "Not read yet"
        return f"{when} · {self.loaded.summary()} · {self.journal.location}"

    def _say(self, text: str, error: bool = False) -> None:
        colour = "#cf222e" if error else "#424a53"
        self.status.value = Markup("<span style='color:{}'>{}</span>").format(colour, text)

    # --- every 30 seconds ------------------------------------------------------------------------

    def _toggle_auto(self, change: dict) -> None:
        if change["new"]:
            self.start_auto_refresh()
        else:
            self.stop_auto_refresh()

    def start_auto_refresh(self) -> None:
        if self._timer and self._timer.is_alive():
            return
        self._stop.clear()
        self._timer = threading.Thread(target=self._every_interval, name="extramile-summary-refresh",
                                       daemon=True)
        self._timer.start()

    def stop_auto_refresh(self) -> None:
        self._stop.set()

    def _every_interval(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.refresh()
            except Exception as exc:  # noqa: BLE001 (a background thread has nobody else to tell)
                self._say(f"Automatic refresh failed: {exc}", error=True)


def summary_view(journal: JournalStore, content_dir: Path = EXERCISES_DIR,
                 interval: float = AUTO_REFRESH_SECONDS) -> SummaryView:
    """A view of this journal, already read once."""
    view = SummaryView(journal, content_dir, interval)
    view.refresh()
    return view


def show_summary(journal: JournalStore | None = None) -> None:
    """The summary notebook's one call: the journal is the environment's (EXTRAMILE_JOURNAL_DIR, or a hub's service)."""
    display(summary_view(journal or open_journal()).widget)
