"""The sign-in bar at the top of every participant page.

It shows a form (name, team, passphrase) until the participant is known,
then a one-line welcome. The passphrase travels only over the widget
connection, never in a URL, and the field is emptied after every attempt.
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
    def __init__(self, accounts: Accounts, book: AnswerBook, on_change: Callable[[str | None], None],
                 hub: str | None = None):
        self.accounts = accounts
        self.hub = hub
        self.book = book
        self.on_change = on_change
        self.token: str | None = None
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

    def resume(self, participant: Participant, token: str | None) -> None:
        """Signed in already: by a lesson link's session token or by JupyterHub."""
        self.book.participant = participant
        self.book.refresh()
        self.token = token
        self.sign_out_button.layout.display = None if token else "none"
        self._render()

    def sign_in(self) -> None:
        passphrase = self.passphrase.value
        self.passphrase.value = ""
        try:
            if self.hub:
                participant, token = self.accounts.hub_sign_in(self.hub, self.team.value), None
            else:
                participant = self.accounts.sign_in(self.name.value, self.team.value, passphrase)
                token = self.accounts.start_session(participant)
        except SignInError as exc:
            self.message.value = f'<p class="em-status em-warn">{html.escape(str(exc))}</p>'
            return
        self.resume(participant, token)
        self.on_change(token)

    def sign_out(self) -> None:
        if self.token:
            self.accounts.end_session(self.token)
        self.token = None
        self.book.participant = None
        self.book.refresh()
        self.message.value = '<p class="em-status em-ok">Signed out. Your answers are saved.</p>'
        self._render()
        self.on_change(None)
