"""The sign-in bar at the top of every participant page.

It shows a form (name, team, passphrase) until the participant is known,
then a one-line welcome. The passphrase travels only over the widget
connection, never in a URL, and the field is emptied after every attempt.
In the participant app the bar knows its browser's session id (from an
HttpOnly cookie the page's JavaScript cannot read), so a sign-in holds for
every tab of that browser and a sign-out ends it in all of them.
When the facilitator has listed the teams, the team is picked from a list.
Typing another team than last time does not move anyone silently: the bar
asks first, and the welcome line says so once moved. After a facilitator's
reset, the code signs in and the same field takes the new passphrase.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
from markupsafe import Markup

from extramile.answers import AnswerBook
from extramile.exceptions import NewPassphraseNeeded, SignInError
from extramile.identity import Accounts, Participant


def welcome_line(participant: Participant, answers: int, moved_from: str | None = None) -> Markup:
    noun = "answer" if answers == 1 else "answers"
    moved = Markup(", moved from {}").format(moved_from) if moved_from else ""
    return Markup("Welcome, {} (team {}{}): {} {} saved so far").format(
        participant.name, participant.team, moved, answers, noun)


class SignInBar(w.VBox):
    def __init__(self, accounts: Accounts, book: AnswerBook, on_change: Callable[[], None],
                 hub: str | None = None, browser_session: str | None = None) -> None:
        self.accounts = accounts
        self.hub = hub
        self.book = book
        self.on_change = on_change
        self.browser_session = browser_session
        self.reset_code: str | None = None  # the facilitator's code, accepted: the next passphrase is the new one
        self.asks_team: str | None = None
        self.moved_from: str | None = None
        self.name = w.Text(description="Name", placeholder="Your name", layout=w.Layout(width="auto"))
        if accounts.teams.allowed:
            self.team = w.Dropdown(description="Team", options=accounts.teams.allowed, value=None,
                                   layout=w.Layout(width="auto"))
        else:
            self.team = w.Text(description="Team", placeholder="Your team", layout=w.Layout(width="auto"))
        self.passphrase = w.Password(description="Passphrase", placeholder="At least 4 characters",
                                     layout=w.Layout(width="auto"))
        self.sign_in_button = w.Button(description="Sign in", button_style="primary", icon="sign-in")
        self.sign_out_button = w.Button(description="Sign out", icon="sign-out")
        self.message = w.HTML()
        self.message.add_class("em-status-line")
        self.move_question = w.HTML()
        self.move_button = w.Button(description="Move", button_style="primary", icon="exchange")
        self.stay_button = w.Button(description="Stay")
        self.sign_in_button.on_click(lambda _b: self.sign_in())
        self.sign_out_button.on_click(lambda _b: self.sign_out())
        self.move_button.on_click(lambda _b: self.move())
        self.stay_button.on_click(lambda _b: self.stay())
        if hub:
            self.name.value = hub
            self.name.disabled = True
            fields = [w.HTML('<p class="em-hint">Which team are you in?</p>'), self.name, self.team]
        else:
            fields = [w.HTML('<p class="em-hint">First time here? Choose a passphrase you will remember: it '
                             'keeps your journal yours. Next time, type the same name and passphrase.</p>'),
                      self.name, self.team, self.passphrase]
        self.form = w.VBox([*fields, self.sign_in_button], layout=w.Layout(width="100%", max_width="32em"))
        self.welcome = w.HBox([self.message, self.sign_out_button],
                              layout=w.Layout(flex_flow="row wrap", align_items="center"))
        self.move_box = w.HBox([self.move_question, self.move_button, self.stay_button],
                               layout=w.Layout(flex_flow="row wrap", align_items="center"))
        super().__init__(layout=w.Layout(width="100%"))
        self.add_class("em-signin")
        self._render()

    def _render(self) -> None:
        if self.book.participant is None:
            self.children = [self.form, self.message]
        else:
            line = welcome_line(self.book.participant, self.book.answer_count(), self.moved_from)
            self.message.value = Markup('<p class="em-welcome">{}</p>').format(line)
            self.children = [self.welcome, self.move_box] if self.asks_team else [self.welcome]

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
                if self.browser_session:
                    self.accounts.start_session(participant, self.browser_session)
        except NewPassphraseNeeded as exc:
            self.reset_code = self.reset_code or passphrase
            self.passphrase.placeholder = "Your new passphrase"
            self._warn(str(exc))
            return
        except SignInError as exc:
            self._warn(str(exc))
            return
        self.reset_code = None
        self.passphrase.placeholder = "At least 4 characters"
        self.asks_team, self.moved_from = participant.asks_team, None
        if self.asks_team:
            self.move_question.value = Markup('<p class="em-status em-warn">You were in team {}; move to {}?</p>'
                                              ).format(participant.team, self.asks_team)
            self.move_button.description = f"Move to {self.asks_team}"
            self.stay_button.description = f"Stay in {participant.team}"
        self.resume(participant)
        self.on_change()

    def move(self) -> None:
        """Confirmed: move to the team typed at sign-in, and say so in the welcome line."""
        before = self.book.participant
        try:
            moved = self.accounts.move_team(before, self.asks_team)
            if self.browser_session:
                self.accounts.start_session(moved, self.browser_session)  # this browser's other tabs too
        except SignInError as exc:
            self._warn(str(exc))
            return
        self.asks_team, self.moved_from = None, before.team
        self.resume(moved)
        self.on_change()

    def stay(self) -> None:
        self.asks_team = None
        self._render()

    def _warn(self, text: str) -> None:
        self.message.value = Markup('<p class="em-status em-warn">{}</p>').format(text)

    def sign_out(self) -> None:
        """Sign out here; in the app the session ends in every tab of every browser this person used."""
        if self.book.participant is not None:
            self.accounts.end_sessions_of(self.book.participant.name)
        self.signed_out()

    def signed_out(self, message: str = "Signed out. Your answers are saved.") -> None:
        """Forget the participant on this page (after a sign-out here or in another tab)."""
        self.asks_team = self.moved_from = None
        self.book.participant = None
        self.book.refresh()
        self.message.value = Markup('<p class="em-status em-ok">{}</p>').format(message)
        self._render()
        self.on_change()
