"""Who is at the keyboard: room sign-in with a passphrase, sessions, or the JupyterHub user.

In room mode anyone can type any name, so a name alone must never open a
journal: the first save claims the name with a passphrase, kept only as a
salted scrypt hash, and a later sign-in must match it. A signed-in browser is
known by a session id the server makes at sign-in (extramile.identity.sessions); only
its SHA-256 is stored, with an expiry, so a leaked server log or journal
folder reveals no secret, and no token ever travels in a URL. Guessing is
slowed per name, one check at a time (extramile.identity.throttle), and a new
passphrase must not be one a guesser tries first (extramile.identity.passphrases).

Names that look alike are one person (extramile.identity.confusables): a returning
"ana walker" signs in to "Ana Walker" with Ana's passphrase, and is shown as
"Ana Walker", the spelling that claimed the name; a newcomer with a look-alike
name is asked to tell themselves apart. A team is not changed behind the
participant's back: a different team asks first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from extramile.exceptions import JournalError, NewPassphraseNeeded, SignInError
from extramile.identity.confusables import Lookalikes
from extramile.identity.passphrases import MIN_LENGTH, Passphrases, Verdict, weakness
from extramile.identity.sessions import Sessions
from extramile.identity.teams import Teams, current_team, team_key
from extramile.identity.throttle import Throttle
from extramile.names import clean_name
from extramile.store.journal import explain_os_error
from extramile.store.journal_store import JournalStore

REFUSED = "That name and passphrase do not match. Check both and try again, or ask the facilitator."
LOOKALIKE = ("That name, or one that looks just like it (the same letters in other capitals or from another "
             "alphabet), is already taken here. If it is yours, check your passphrase; if not, add something "
             "to tell you apart, such as an initial.")
CODE_ACCEPTED = ("Reset code accepted. Now choose a new passphrase of at least {} characters, type it in the "
                 "passphrase box and press Sign in.")
NO_PASSPHRASE = "Please type your passphrase (a new name: choose one of at least {} characters)."
CODE_EXPIRED = "That reset code has expired: ask the facilitator for a new one."


@dataclass(frozen=True)
class Participant:
    name: str
    team: str
    asks_team: str | None = field(default=None, compare=False)  # typed a different team: move only once confirmed


def hub_user() -> str | None:
    """The JupyterHub user name when running under a hub: the hub has already signed them in."""
    return os.environ.get("JUPYTERHUB_USER") or None


def _wait_message(seconds: float) -> str:
    wait = f"{int(seconds) + 1} seconds" if seconds < 90 else f"{round(seconds / 60)} minutes"
    return (f"Too many wrong passphrases for this name. Please wait {wait} and try again, "
            "or ask the facilitator.")


class Accounts:
    """Who signs in, and their team: passphrases and sessions kept beside local journal files in hidden folders.

    Under a hub the hub has signed people in, so only the team is asked for,
    and the journal service (whose `directory` is None) holds no passphrase
    or session: those parts need the room's folder and say so if asked.
    """

    def __init__(self, journal: JournalStore) -> None:
        self.journal = journal
        self.teams = Teams.for_journal(journal.directory)

    def _room_folder(self) -> Path:
        if self.journal.directory is None:
            raise SignInError("Passphrases and sessions are kept in the room's journal folder; under a hub, "
                              "the hub signs people in.")
        return self.journal.directory

    @cached_property
    def sessions(self) -> Sessions:
        return Sessions(self._room_folder() / ".sessions")

    @cached_property
    def passphrases(self) -> Passphrases:
        return Passphrases(self._room_folder() / ".accounts")

    @cached_property
    def lookalikes(self) -> Lookalikes:
        return Lookalikes(self._room_folder() / ".lookalikes")

    @cached_property
    def throttle(self) -> Throttle:
        return Throttle(self._room_folder() / ".refusals")

    def sign_in(self, name: str, team: str, passphrase: str, new_passphrase: str | None = None) -> Participant:
        """Sign in, claiming the name on first use. Raises SignInError with a message to show.

        A name that looks like a claimed one signs in as that one (see the
        module's docstring). A wrong passphrase costs one scrypt and counts
        toward the name's wait; attempts on one name are checked one at a
        time. After the facilitator's reset, the code is the passphrase:
        NewPassphraseNeeded asks for `new_passphrase`. A team other than last
        time's comes back as `asks_team` (see move_team).
        """
        try:
            name = clean_name(name)
        except JournalError as exc:
            raise SignInError(str(exc)) from None
        team = self.teams.display(team)
        if not passphrase:
            raise SignInError(NO_PASSPHRASE.format(MIN_LENGTH))
        try:
            claimed = self._claimed_as(name)
            with self.throttle.one_at_a_time(claimed):
                wait = self.throttle.wait_left(claimed)
                if wait:
                    raise SignInError(_wait_message(wait))
                if self.passphrases.exists(claimed):
                    self._check(claimed, passphrase, new_passphrase, REFUSED if claimed == name else LOOKALIKE)
                    self.lookalikes.claim(claimed)  # a name claimed before look-alikes were kept
                elif claimed != name:
                    raise SignInError(LOOKALIKE)  # its holder never finished claiming it
                else:
                    self._claim(claimed, passphrase, new_passphrase)
                self.throttle.clear(claimed)
        except OSError as exc:
            raise SignInError(explain_os_error(exc, self.journal.location)) from None
        except (ValueError, KeyError):
            raise SignInError("This name's sign-in record is damaged: ask the facilitator to reset it.") from None
        return self._arrive(claimed, team)

    def _claimed_as(self, name: str) -> str:
        """The claimed name that looks like this one ("Ana Walker" for "ana walker"), or the name itself."""
        holder = self.lookalikes.holder(name)
        if not holder:
            return name
        if isinstance(holder.get("name"), str):
            return holder["name"]
        entries = self.journal.entries_in(self._room_folder() / f"{holder.get('stem')}.jsonl")
        return entries[0]["participant"] if entries else name  # recorded before names were kept: its journal

    def _claim(self, name: str, passphrase: str, new_passphrase: str | None) -> None:
        """A first sign-in: the name is this person's once its look-alike record and passphrase are made."""
        refused = weakness(passphrase)
        if refused:
            raise SignInError(refused)
        if not self.lookalikes.claim(name):
            raise SignInError(LOOKALIKE)
        if not self.passphrases.claim(name, passphrase):
            self._check(name, passphrase, new_passphrase, REFUSED)  # another tab claimed it a moment ago

    def _check(self, name: str, passphrase: str, new_passphrase: str | None, refusal: str) -> None:
        verdict = self.passphrases.check(name, passphrase)
        if verdict is Verdict.WRONG:
            self.throttle.refused(name)
            raise SignInError(refusal)
        if verdict is Verdict.EXPIRED:
            raise SignInError(CODE_EXPIRED)
        if verdict is Verdict.RESET:
            if new_passphrase is None:
                raise NewPassphraseNeeded(CODE_ACCEPTED.format(MIN_LENGTH))
            refused = weakness(new_passphrase)
            if refused:
                raise NewPassphraseNeeded(refused)
            self.passphrases.change(name, new_passphrase)

    def hub_sign_in(self, name: str, team: str) -> Participant:
        """Under JupyterHub the hub has checked who this is; only the team is asked for."""
        try:
            name = clean_name(name)
        except JournalError as exc:
            raise SignInError(str(exc)) from None
        return self._arrive(name, self.teams.display(team))

    def _arrive(self, name: str, team: str) -> Participant:
        """Signed in: in the team of last time, asking first if another was typed."""
        current = self.team_of(name)
        if current is not None and team_key(current) != team_key(team):
            return Participant(name, current, asks_team=team)
        if current is None:
            self._record_team(name, team)
        return Participant(name, current or team)

    def move_team(self, participant: Participant, team: str) -> Participant:
        """Move a signed-in participant to another team, once they have confirmed it."""
        moved = Participant(participant.name, self.teams.display(team))
        self._record_team(moved.name, moved.team)
        return moved

    def team_of(self, name: str) -> str | None:
        """The team the participant is in now (extramile.identity.teams.current_team), if they have been here before."""
        return current_team(self.journal.entries(name))

    def _record_team(self, name: str, team: str) -> None:
        """A profile entry marks that the person signed in and which team they are in now."""
        profiles = [e for e in self.journal.entries(name) if e["kind"] == "profile"]
        if profiles and profiles[-1]["team"] == team:
            return
        try:
            self.journal.append(participant=name, team=team, kind="profile", answer={"team": team},
                                replaces=profiles[-1]["id"] if profiles else None)
        except JournalError as exc:
            raise SignInError(str(exc)) from None

    def start_session(self, participant: Participant) -> str:
        """A new session id for the browser this participant just signed in from (see extramile.identity.sessions).

        Never the id the browser came with: a shared laptop signs the next
        person in as themselves, and a cookie planted beforehand opens nothing.
        """
        try:
            return self.sessions.start(participant.name, participant.team)
        except OSError as exc:
            raise SignInError(explain_os_error(exc, self.journal.location)) from None

    def move_session(self, session: str, participant: Participant) -> None:
        """The session now stands for the participant in their new team."""
        try:
            self.sessions.update(session, participant.name, participant.team)
        except OSError as exc:
            raise SignInError(explain_os_error(exc, self.journal.location)) from None

    def resume(self, session: str | None) -> Participant | None:
        """Who is signed in with this session id, or None when nobody is, or their session ended or expired."""
        found = self.sessions.resume(session)
        return Participant(*found) if found else None

    def end_sessions_of(self, name: str) -> None:
        """Sign a participant out of every browser: a sign-out on a borrowed phone ends the laptop's too."""
        self.sessions.end_all_of(name)
