"""The sign-in bar at the top of every participant page.

It shows a form (name, team, passphrase) until the participant is known,
then a one-line welcome. The passphrase travels only over the widget
connection, never in a URL, and the field is emptied after every attempt.
When the facilitator has listed the teams, the team is picked from a list.
Typing another team than last time does not move anyone silently: the bar
asks first, and the welcome line says so once moved. After a facilitator's
reset, the code signs in and the same field takes the new passphrase.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w

from extramile.answers import AnswerBook
from extramile.exceptions import NewPassphraseNeeded, SignInError
from extramile.identity import Accounts, Participant


def welcome_line(participant: Participant, answers: int, moved_from: str | None = None) -> str:
    noun = "answer" if answers == 1 else "answers"
    moved = f", moved from {html.escape(moved_from)}" if moved_from else ""
    return (f"Welcome, {html.escape(participant.name)} (team {html.escape(participant.team)}{moved}): "
            f"{answers} {noun} saved so far")


class SignInBar(w.VBox):
    def __init__(self, accounts: Accounts, book: AnswerBook, on_change: Callable[[str | None], None],
                 hub: str | None = None):
        self.accounts = accounts
        self.hub = hub
        self.book = book
        self.on_change = on_change
        self.token: str | None = None
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
            self.message.value = f'<p class="em-welcome">{line}</p>'
            self.children = [self.welcome, self.move_box] if self.asks_team else [self.welcome]

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
        team = self.team.value or ""
        try:
            if self.hub:
                participant, token = self.accounts.hub_sign_in(self.hub, team), None
            else:
                if self.reset_code:
                    participant = self.accounts.sign_in(self.name.value, team, self.reset_code,
                                                        new_passphrase=passphrase)
                else:
                    participant = self.accounts.sign_in(self.name.value, team, passphrase)
                token = self.accounts.start_session(participant)
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
            self.move_question.value = (f'<p class="em-status em-warn">You were in team {html.escape(participant.team)}'
                                        f"; move to {html.escape(self.asks_team)}?</p>")
            self.move_button.description = f"Move to {self.asks_team}"
            self.stay_button.description = f"Stay in {participant.team}"
        self.resume(participant, token)
        self.on_change(token)

    def move(self) -> None:
        """Confirmed: move to the team typed at sign-in, and say so in the welcome line."""
        before = self.book.participant
        try:
            moved = self.accounts.move_team(before, self.asks_team)
            token = self.accounts.start_session(moved) if self.token else None
        except SignInError as exc:
            self._warn(str(exc))
            return
        if self.token:
            self.accounts.end_session(self.token)
        self.asks_team, self.moved_from = None, before.team
        self.resume(moved, token)
        self.on_change(token)

    def stay(self) -> None:
        self.asks_team = None
        self._render()

    def _warn(self, text: str) -> None:
        self.message.value = f'<p class="em-status em-warn">{html.escape(text)}</p>'

    def sign_out(self) -> None:
        if self.token:
            self.accounts.end_session(self.token)
        self.token = None
        self.asks_team = self.moved_from = None
        self.book.participant = None
        self.book.refresh()
        self.message.value = '<p class="em-status em-ok">Signed out. Your answers are saved.</p>'
        self._render()
        self.on_change(None)
