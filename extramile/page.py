"""A participant page: the sign-in bar, the lesson's story, its exercises and the way on.

Notebooks stay thin: `start_page("01_notice_small_opportunities")` once, then
`show_story()`, `show_exercise("...")`, `show_debrief()`, `show_next()`. One
Voila page is one kernel, so the page being built is module state here.
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import parse_qs, quote

import ipywidgets as w
from IPython.display import Markdown, display

from extramile import content
from extramile.answers import AnswerBook
from extramile.identity import Accounts, Participant, hub_user
from extramile.journal import Journal
from extramile.page_request import query_string
from extramile.signin import SignInBar
from extramile.weekly import WeeklyJournal
from extramile.widgets import Card, card_for

STYLE = (Path(__file__).parent / "page.css").read_text(encoding="utf-8")


def link(notebook_name: str, token: str | None) -> str:
    """A relative link to another page that carries the session, never the passphrase."""
    suffix = f"?s={quote(token)}" if token else ""
    return f"{notebook_name}.ipynb{suffix}"


class Page:
    def __init__(self, notebook_name: str, journal: Journal | None = None, query: str | None = None):
        self.notebook = content.notebook(notebook_name)
        self.journal = journal or Journal()
        self.accounts = Accounts(self.journal)
        self.book = AnswerBook(self.journal)
        self.cards: list[Card] = []
        self.links: list[tuple[w.HTML, callable]] = []
        self.weekly: WeeklyJournal | None = None
        self.bar = SignInBar(self.accounts, self.book, self._signed_in_or_out, hub=hub_user())
        self._resume(query_string() if query is None else query)

    def _resume(self, query: str) -> None:
        hub = hub_user()
        if hub:
            team = self.accounts.team_of(hub)
            if team:
                self.bar.resume(Participant(hub, team), None)
            return
        token = (parse_qs(query).get("s") or [""])[0]
        participant = self.accounts.resume(token)
        if participant:
            self.bar.resume(participant, token)

    def _signed_in_or_out(self, _token: str | None) -> None:
        for card in self.cards:
            card.restore()
        if self.weekly is not None:
            self.weekly.refresh()
        self._update_links()

    def _update_links(self) -> None:
        for widget, render in self.links:
            widget.value = render(self.bar.token)

    def _add_link(self, render) -> w.HTML:
        widget = w.HTML(render(self.bar.token))
        self.links.append((widget, render))
        return widget

    def header(self) -> w.Widget:
        return w.VBox([w.HTML(f"<style>{STYLE}</style>"), self.bar], layout=w.Layout(width="100%"))

    def story(self) -> Markdown:
        credits = "; ".join(f"*{s.title}* by {s.author}" for s in self.notebook.sources)
        parts = [self.notebook.story.strip()]
        if self.notebook.point:
            parts.append(f"**The point:** {self.notebook.point.strip()}")
        if credits:
            parts.append(f"<small>Told in our own words, after {credits}.</small>")
        return Markdown("\n\n".join(parts))

    def exercise(self, exercise_id: str) -> Card:
        owner, item = content.exercise(exercise_id)
        card = card_for(item, self.book, owner.lesson)
        card.save_button.on_click(lambda _button: self.bar.refresh())
        self.cards.append(card)
        return card

    def weekly_section(self, name: str) -> list:
        """What to display for one section of the weekly journal (extramile.weekly.SECTIONS)."""
        if self.weekly is None:
            self.weekly = WeeklyJournal(self.book, self.journal)
        return self.weekly.section(name)

    def debrief(self) -> Markdown:
        questions = "\n".join(f"- {q}" for q in self.notebook.debrief)
        return Markdown(f"### Talk it over with your team\n\n{questions}")

    def lessons(self) -> w.HTML:
        """The welcome page's list of today's pages in order, with time estimates, then the weekly journal."""
        weekly = content.notebook(content.WEEKLY_NOTEBOOK)

        def render(token):
            items = "".join(
                f'<li><a href="{html.escape(link(name, token))}">{html.escape(nb.title)}</a>'
                f' <span class="em-minutes">about {nb.minutes} min</span></li>'
                for name, nb in content.load_all().items() if name != self.notebook.notebook)
            return (f'<ol class="em-lessons">{items}</ol><p class="em-hint">After the workshop, every week: '
                    f'<a href="{html.escape(link(content.WEEKLY_NOTEBOOK, token))}">'
                    f'{html.escape(weekly.title)}</a></p>')
        return self._add_link(render)

    def next_link(self) -> w.HTML:
        names = list(content.PARTICIPANT_NOTEBOOKS)
        position = names.index(self.notebook.notebook) if self.notebook.notebook in names else -1
        following = names[position + 1] if 0 <= position < len(names) - 1 else None

        def render(token):
            back = f'<a href="{html.escape(link(names[0], token))}">All lessons</a>'
            if following is None:
                return f'<p class="em-next">{back}</p>'
            title = html.escape(content.notebook(following).title)
            return (f'<p class="em-next">{back} · Next: '
                    f'<a href="{html.escape(link(following, token))}">{title} →</a></p>')
        return self._add_link(render)


_page: Page | None = None


def start_page(notebook_name: str) -> None:
    """Build this notebook's page and show its header (styles and sign-in bar)."""
    global _page
    _page = Page(notebook_name)
    display(_page.header())


def _current() -> Page:
    if _page is None:
        raise RuntimeError("Call start_page(...) in the notebook's first cell.")
    return _page


def show_story() -> None:
    display(_current().story())


def show_exercise(exercise_id: str) -> None:
    display(_current().exercise(exercise_id))


def show_debrief() -> None:
    display(_current().debrief())


def show_lessons() -> None:
    display(_current().lessons())


def show_next() -> None:
    display(_current().next_link())


def show_weekly(section: str) -> None:
    """One section of the weekly journal: "week", "story", "habits", "checkin", "commitments", ..."""
    display(*_current().weekly_section(section))

