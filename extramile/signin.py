"""The sign-in bar at the top of every participant page.

It shows a form (name, team, passphrase) until the participant is known,
then a one-line welcome. The passphrase travels only over the widget
connection, never in a URL, and the field is emptied after every attempt.
In the participant app the bar knows its browser's session id (from an
HttpOnly cookie the page's JavaScript cannot read), so a sign-in holds for
every tab of that browser and a sign-out ends it in all of them.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w

from extramile.answers import AnswerBook
from extramile.exceptions import SignInError
from extramile.identity import Accounts, Participant


def welcome_line(participant: Participant, answers: int) -> str:
    noun = "answer" if answers == 1 else "answers"
    return (f"Welcome, {html.escape(participant.name)} (team {html.escape(participant.team)}): "
            f"{answers} {noun} saved so far")


class SignInBar(w.VBox):
    def __init__(self, accounts: Accounts, book: AnswerBook, on_change: Callable[[], None],
                 hub: str | None = None, browser_session: str | None = None):
        self.accounts = accounts
        self.hub = hub
        self.book = book
        self.on_change = on_change
        self.browser_session = browser_session
        self.name = w.Text(description="Name", placeholder="Your name", layout=w.Layout(width="auto"))
        self.team = w.Text(description="Team", placeholder="Your team", layout=w.Layout(width="auto"))
        self.passphrase = w.Password(description="Passphrase", placeholder="At least 4 characters",
                                     layout=w.Layout(width="auto"))
        self.sign_in_button = w.Button(description="Sign in", button_style="primary", icon="sign-in")
        self.sign_out_button = w.Button(description="Sign out", icon="sign-out")
        self.message = w.HTML()
        self.sign_in_button.on_click(lambda _b: self.sign_in())
        self.sign_out_button.on_click(lambda _b: self.sign_out())
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
        super().__init__(layout=w.Layout(width="100%"))
        self.add_class("em-signin")
        self._render()

    def _render(self) -> None:
        if self.book.participant is None:
            self.children = [self.form, self.message]
        else:
            line = welcome_line(self.book.participant, self.book.answer_count())
            self.message.value = f'<p class="em-welcome">{line}</p>'
            self.children = [self.welcome]

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
        try:
            if self.hub:
                participant = self.accounts.hub_sign_in(self.hub, self.team.value)
            else:
                participant = self.accounts.sign_in(self.name.value, self.team.value, passphrase)
                if self.browser_session:
                    self.accounts.start_session(participant, self.browser_session)
        except SignInError as exc:
            self.message.value = f'<p class="em-status em-warn">{html.escape(str(exc))}</p>'
            return
        self.resume(participant)
        self.on_change()

    def sign_out(self) -> None:
        """Sign out here; in the app the session ends for every tab of this browser too."""
        if self.browser_session:
            self.accounts.end_session(self.browser_session)
        self.signed_out()

    def signed_out(self, message: str = "Signed out. Your answers are saved.") -> None:
        """Forget the participant on this page (after a sign-out here or in another tab)."""
        self.book.participant = None
        self.book.refresh()
        self.message.value = f'<p class="em-status em-ok">{html.escape(message)}</p>'
        self._render()
        self.on_change()
