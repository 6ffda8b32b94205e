"""A participant page: the sign-in bar, the lesson's story, its exercises and the way on.

One builder serves both places a page is shown. The participant app builds
one `Page` per browser tab and route (`extramile.room.app`); a notebook in
JupyterLab or under nbval calls `start_page("01_notice_small_opportunities")`
once, then `show_story()`, `show_exercise("...")`, `show_debrief()`,
`show_next()`. A notebook kernel serves one page, so only those notebook
helpers keep the page in module state; the app never touches it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ipywidgets as w
import markdown
from IPython.display import display
from markupsafe import Markup

from extramile import content
from extramile.exceptions import PageNotStarted
from extramile.identity.identity import Accounts, Participant, hub_user
from extramile.participant.answers import AnswerBook
from extramile.participant.cards import Card, Round, ScenarioCard, card_for
from extramile.participant.cards.lean_widgets import Column, Text
from extramile.participant.signin import MOVED, SIGNED_IN, SIGNED_OUT, BrowserLink, SignInBar
from extramile.store.journal_store import JournalStore, open_journal
from extramile.weekly.weekly_page import SECTIONS, WeeklyJournalPage

STYLE_FILE = Path(__file__).parent / "assets" / "custom.css"
SAVE_HINT = "Each answer is saved to your journal when you press **Save**; you will see *Saved* and the time."
SIGNED_OUT_ELSEWHERE = "Signed out in another tab. Your answers are saved."
_SAME = object()  # follow_browser(): the tab keeps the session it holds


@cache
def to_html(text: str) -> str:
    """Markdown from our own content files (never participant text) as HTML, rendered once per process."""
    return markdown.markdown(text)


@dataclass(frozen=True)
class PageLink:
    notebook: str
    title: str
    minutes: int | None = None  # the day's pages have a time estimate; the weekly journal has none


def pages_of_the_day(current: str) -> tuple[list[PageLink], PageLink]:
    """What the welcome lists: the day's other pages in order, with time estimates, then the weekly journal.

    One list for both places the welcome is shown: the notebook links each to
    its .ipynb file, the participant app (extramile.room.app) to its route.
    """
    lessons = [PageLink(name, notebook.title, notebook.minutes)
               for name, notebook in content.load_all().items() if name != current]
    return lessons, PageLink(content.WEEKLY_NOTEBOOK, content.weekly_journal().title)


class Page:
    """One page for one browser tab (or one notebook kernel), bound to whoever signs in there."""

    def __init__(self, notebook_name: str, journal: JournalStore | None = None, *, link: BrowserLink | None = None,
                 on_sign_in_or_out: Callable[[], None] | None = None, room: Round | None = None) -> None:
        self.notebook = content.notebook(notebook_name)
        self.journal = journal or open_journal()
        self.accounts = Accounts(self.journal)
        self.book = AnswerBook(self.journal)
        self.cards: list[Card] = []
        self.weekly: WeeklyJournalPage | None = None
        self.on_sign_in_or_out = on_sign_in_or_out
        self.room = room
        self.bar = SignInBar(self.accounts, self.book, self._signed_in_or_out, hub=hub_user(), link=link)
        self._resume()

    def _resume(self) -> None:
        hub = hub_user()
        if hub:
            team = self.accounts.team_of(hub)
            participant = Participant(hub, team) if team else None
        else:
            participant = self.accounts.resume(self.bar.link.session if self.bar.link else None)
        if participant:
            self.bar.resume(participant)

    def follow_browser(self, session: str | None | object = _SAME) -> None:
        """Another tab signed in or out: show here whoever the browser's session (or `session`) stands for.

        When that is someone else, every field this page holds is dropped
        before they are shown, including text typed and not yet sent, so
        nothing one person typed is ever saved as another's.
        """
        link = self.bar.link
        if link is None:
            return
        if session is not _SAME and session != link.session:
            link.session, link.ticket = session, ""
        participant = self.accounts.resume(link.session)
        if participant == self.book.participant:
            self.bar.refresh()
            return
        self.book.participant = participant
        self.book.refresh()
        self._restore(resync=True)
        self.bar.show(participant, SIGNED_OUT_ELSEWHERE)

    def follow_room(self) -> None:
        """The facilitator opened a second vote or reset a scenario: its card says what that means."""
        for card in self.cards:
            if isinstance(card, ScenarioCard):
                card.follow_room()

    def _signed_in_or_out(self, happened: str) -> None:
        """A sign-in here keeps what was typed while signed out (the cards offer a choice); a sign-out drops it."""
        if happened != MOVED:
            self._restore(keep_typed=happened == SIGNED_IN, resync=happened == SIGNED_OUT)
        if self.on_sign_in_or_out is not None:
            self.on_sign_in_or_out()

    def _restore(self, *, keep_typed: bool = False, resync: bool = False) -> None:
        for card in self.cards:
            card.restore(keep_typed=keep_typed, resync=resync)
        if self.weekly is not None:
            self.weekly.refresh(keep_typed=keep_typed, resync=resync)

    def header(self) -> w.Widget:
        """The styles and the sign-in bar, for a notebook (the app serves the styles as a file)."""
        style = Text(f"<style>{STYLE_FILE.read_text(encoding='utf-8')}</style>")
        return Column([style, self.bar], layout=w.Layout(width="100%"))

    def story(self) -> w.HTML:
        credits = "; ".join(f"*{s.title}* by {s.author}" + (f" ({s.note})" if s.note else "")
                            for s in self.notebook.sources)
        parts = [self.notebook.story.strip()]
        if self.notebook.point:
            parts.append(f"**The point:** {self.notebook.point.strip()}")
        if credits:
            parts.append(f"<small>Told in our own words, after {credits}.</small>")
        return Text(to_html("\n\n".join(parts)), layout=w.Layout(width="100%"))

    def exercise(self, exercise_id: str) -> Card:
        owner, item = content.exercise(exercise_id)
        card = card_for(item, self.book, owner.lesson, self.room)
        card.save_button.on_click(lambda _button: self.bar.refresh())
        self.cards.append(card)
        return card

    def weekly_section(self, name: str) -> list[w.Widget]:
        """What to display for one section of the weekly journal (extramile.weekly.weekly_page.SECTIONS)."""
        if self.weekly is None:
            self.weekly = WeeklyJournalPage(self.book, self.journal)
        return self.weekly.section(name)

    def debrief(self) -> w.HTML:
        questions = "\n".join(f"- {q}" for q in self.notebook.debrief)
        return Text(to_html(f"### Talk it over with your team\n\n{questions}"), layout=w.Layout(width="100%"))

    def body(self) -> list[w.Widget]:
        """The whole page below the sign-in bar, in the order its notebook shows it."""
        parts: list[w.Widget] = [self.story()]
        if isinstance(self.notebook, content.WeeklyJournalContent):
            for section in SECTIONS:
                parts += self.weekly_section(section)
            return parts
        if self.notebook.exercises:
            parts.append(Text(to_html(f"## Exercises\n\n{SAVE_HINT}")))
            parts += [self.exercise(item.id) for item in self.notebook.exercises]
        if self.notebook.debrief:
            parts.append(self.debrief())
        return parts

    def lessons(self) -> w.HTML:
        """The welcome notebook's list of the other notebooks, in order, with time estimates."""
        lessons, weekly = pages_of_the_day(self.notebook.notebook)
        items = Markup("").join(
            Markup('<li><a href="{}.ipynb">{}</a> <span class="em-minutes">about {} min</span></li>').format(
                lesson.notebook, lesson.title, lesson.minutes) for lesson in lessons)
        return Text(Markup('<ol class="em-lessons">{}</ol><p class="em-hint">After the workshop, every week: '
                           '<a href="{}.ipynb">{}</a></p>').format(items, weekly.notebook, weekly.title))

    def next_link(self) -> w.HTML:
        following = content.next_notebook(self.notebook.notebook)
        back = Markup('<a href="{}.ipynb">All lessons</a>').format(content.PARTICIPANT_NOTEBOOKS[0])
        if following is None:
            return Text(Markup('<p class="em-next">{}</p>').format(back))
        return Text(Markup('<p class="em-next">{} · Next: <a href="{}.ipynb">{} →</a></p>').format(
            back, following, content.notebook(following).title))


_page: Page | None = None


def start_page(notebook_name: str) -> None:
    """Build this notebook's page and show its header (styles and sign-in bar)."""
    global _page
    _page = Page(notebook_name)
    display(_page.header())


def _current() -> Page:
    if _page is None:
        raise PageNotStarted()
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
