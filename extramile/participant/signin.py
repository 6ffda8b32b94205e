"""The sign-in bar at the top of every participant page.

It shows a form (name, team, passphrase) until the participant is known,
then a one-line welcome. The passphrase travels only over the widget
connection, never in a URL, and the field is emptied after every attempt.
In the participant app the bar holds its tab's link to the browser
(BrowserLink): a sign-in here makes a new session id on the server and hands
the page a one-time ticket for the HttpOnly cookie that carries it (see
extramile.identity.sessions), so a sign-in holds for every tab of that browser and a
sign-out ends it in all of them. Enter in any field signs in (custom.js).
When the facilitator has listed the teams, the team is picked from a list.
Typing another team than last time does not move anyone silently: the bar
asks first, and the welcome line says so once moved. After a facilitator's
reset, the code signs in and the same field takes the new passphrase.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import ipywidgets as w
from markupsafe import Markup

from extramile.exceptions import NewPassphraseNeeded, SignInError
from extramile.identity.identity import Accounts, Participant
from extramile.identity.passphrases import MIN_LENGTH
from extramile.identity.sessions import PARTICIPANT, TICKETS, label
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.lean_widgets import Button, Column, Row, Text

PASSPHRASE_HINT = f"At least {MIN_LENGTH} characters"
SIGNED_IN, SIGNED_OUT, MOVED = "signed in", "signed out", "moved"  # what on_change hears happened here


def welcome_line(participant: Participant, answers: int, moved_from: str | None = None) -> Markup:
    noun = "answer" if answers == 1 else "answers"
    moved = Markup(", moved from {}").format(moved_from) if moved_from else ""
    return Markup("Welcome, {} (team {}{}): {} {} saved so far").format(
        participant.name, participant.team, moved, answers, noun)


class BrowserLink:
    """What a tab of the participant app holds of its browser's sign-in, and tells the page's script.

    `session` is the server-made id this tab is signed in with: from the
    browser's cookie when the tab opened, or made by a sign-in here. The
    script reads a hidden marker: who is behind the tab (a label of the
    session that opens nothing), the tab's token (to ask the server to look
    at the browser's cookie again when another tab signs in or out), and a
    ticket to collect the cookie after a sign-in or sign-out here.
    """

    def __init__(self, session: str | None = None) -> None:
        self.session = session
        self.tab = secrets.token_urlsafe(16)
        self.ticket = ""

    def hand_over(self, session: str | None) -> None:
        """This tab now holds `session` (None: signed out); the browser collects it with the ticket."""
        self.session = session
        self.ticket = TICKETS.issue(PARTICIPANT, session)

    def marker(self, signed_in: bool) -> Markup:
        return Markup('<span class="em-person" data-person="{}" data-tab="{}" data-ticket="{}"></span>').format(
            label(self.session) if signed_in else "", self.tab, self.ticket)


class SignInBar(w.VBox):
    def __init__(self, accounts: Accounts, book: AnswerBook, on_change: Callable[[str], None],
                 hub: str | None = None, link: BrowserLink | None = None) -> None:
        self.accounts = accounts
        self.hub = hub
        self.book = book
        self.on_change = on_change  # after a change here: SIGNED_IN, SIGNED_OUT or MOVED
        self.link = link
        self.reset_code: str | None = None  # the facilitator's code, accepted: the next passphrase is the new one
        self.asks_team: str | None = None
        self.moved_from: str | None = None
        # Sent when the field is left or Enter pressed, so Sign in never overtakes the last keystrokes.
        self.name = w.Text(description="Name", placeholder="Your name", continuous_update=False,
                           layout=w.Layout(width="auto"))
        if accounts.teams.allowed:
            self.team = w.Dropdown(description="Team", options=accounts.teams.allowed, value=None,
                                   layout=w.Layout(width="auto"))
        else:
            self.team = w.Text(description="Team", placeholder="Your team", continuous_update=False,
                               layout=w.Layout(width="auto"))
        self.passphrase = w.Password(description="Passphrase", placeholder=PASSPHRASE_HINT, continuous_update=False,
                                     layout=w.Layout(width="auto"))
        self.sign_in_button = Button(description="Sign in", button_style="primary", icon="sign-in")
        self.sign_in_button.add_class("em-submit")  # what Enter presses (custom.js)
        self.marker = Text(layout=w.Layout(display="none"))
        self.sign_out_button = Button(description="Sign out", icon="sign-out", layout=w.Layout())  # hidden on a hub
        self.message = Text()
        self.message.add_class("em-status-line")
        self.move_question = Text()
        self.move_button = Button(description="Move", button_style="primary", icon="exchange")
        self.stay_button = Button(description="Stay")
        self.sign_in_button.on_click(lambda _b: self.sign_in())
        self.sign_out_button.on_click(lambda _b: self.sign_out())
        self.move_button.on_click(lambda _b: self.move())
        self.stay_button.on_click(lambda _b: self.stay())
        if hub:
            self.name.value = hub
            self.name.disabled = True
            fields = [Text('<p class="em-hint">Which team are you in?</p>'), self.name, self.team]
        else:
            fields = [Text('<p class="em-hint">First time here? Choose a passphrase you will remember: it '
                           'keeps your journal yours. Next time, type the same name and passphrase.</p>'),
                      self.name, self.team, self.passphrase]
        self.form = Column([*fields, self.sign_in_button], layout=w.Layout(width="100%", max_width="32em"))
        self.form.add_class("em-form")
        self.welcome = Row([self.message, self.sign_out_button],
                           layout=w.Layout(flex_flow="row wrap", align_items="center"))
        self.move_box = Row([self.move_question, self.move_button, self.stay_button],
                            layout=w.Layout(flex_flow="row wrap", align_items="center"))
        super().__init__(layout=w.Layout(width="100%"))
        self.add_class("em-signin")
        self._render()

    def _render(self) -> None:
        if self.link is not None:
            self.marker.value = self.link.marker(self.book.participant is not None)
        if self.book.participant is None:
            self.children = [self.form, self.message, self.marker]
        else:
            line = welcome_line(self.book.participant, self.book.answer_count(), self.moved_from)
            self.message.value = Markup('<p class="em-welcome">{}</p>').format(line)
            self.children = [self.welcome, self.move_box, self.marker] if self.asks_team else [self.welcome,
                                                                                              self.marker]

    def refresh(self) -> None:
        """Keep the welcome line's count of saved answers true after each save."""
        if self.book.participant is not None:
            self._render()

    def resume(self, participant: Participant) -> None:
        """Signed in already: in another tab of this browser, or by JupyterHub."""
        self.book.participant = participant
        self.book.refresh()
        self.sign_out_button.layout.display = "none" if self.hub else None
        self._render()

    def show(self, participant: Participant | None, note: str) -> None:
        """Someone else is behind this tab now (followed from another tab): show them, or the form and `note`."""
        self.asks_team = self.moved_from = None
        if participant is not None:
            self.resume(participant)
            return
        self.book.participant = None
        self.book.refresh()
        self.message.value = Markup('<p class="em-status em-ok">{}</p>').format(note)
        self._render()

    def sign_in(self) -> None:
        passphrase = self.passphrase.value
        self.passphrase.value = ""
        team = self.team.value or ""
        try:
            if self.hub:
                participant = self.accounts.hub_sign_in(self.hub, team)
            else:
                if self.reset_code:
                    participant = self.accounts.sign_in(self.name.value, team, self.reset_code,
                                                        new_passphrase=passphrase)
                else:
                    participant = self.accounts.sign_in(self.name.value, team, passphrase)
                if self.link is not None:
                    self.link.hand_over(self.accounts.start_session(participant))
        except NewPassphraseNeeded as exc:
            self.reset_code = self.reset_code or passphrase
            self.passphrase.placeholder = "Your new passphrase"
            self._warn(str(exc))
            return
        except SignInError as exc:
            self._warn(str(exc))
            return
        self.reset_code = None
        self.passphrase.placeholder = PASSPHRASE_HINT
        self.asks_team, self.moved_from = participant.asks_team, None
        if self.asks_team:
            self.move_question.value = Markup('<p class="em-status em-warn">You were in team {}; move to {}?</p>'
                                              ).format(participant.team, self.asks_team)
            self.move_button.description = f"Move to {self.asks_team}"
            self.stay_button.description = f"Stay in {participant.team}"
        self.resume(participant)
        self.on_change(SIGNED_IN)

    def move(self) -> None:
        """Confirmed: move to the team typed at sign-in, and say so in the welcome line."""
        before = self.book.participant
        try:
            moved = self.accounts.move_team(before, self.asks_team)
            if self.link is not None and self.link.session:
                self.accounts.move_session(self.link.session, moved)  # this browser's other tabs too
        except SignInError as exc:
            self._warn(str(exc))
            return
        self.asks_team, self.moved_from = None, before.team
        self.resume(moved)
        self.on_change(MOVED)

    def stay(self) -> None:
        self.asks_team = None
        self._render()

    def _warn(self, text: str) -> None:
        self.message.value = Markup('<p class="em-status em-warn">{}</p>').format(text)

    def sign_out(self) -> None:
        """Sign out here; in the app the session ends in every tab of every browser this person used."""
        if self.book.participant is not None:
            self.accounts.end_sessions_of(self.book.participant.name)
        if self.link is not None:
            self.link.hand_over(None)  # the browser's cookie goes too
        self.show(None, "Signed out. Your answers are saved.")
        self.on_change(SIGNED_OUT)
