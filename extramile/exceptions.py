"""Errors a facilitator, author or participant can act on; each message says what to do.

Every error Extra Mile raises derives from ExtraMileError, so a caller that
shows problems as sentences catches one type. This module imports nothing of
ours: the journal store, the widgets and the server all raise from here.
"""


class ExtraMileError(Exception):
    """Base for Extra Mile's own errors."""


class JournalError(ExtraMileError):
    """Something went wrong storing or reading an entry; the message says what to do."""


class InvalidName(JournalError, ValueError):
    """A participant or team name that cannot be used, with the reason."""


class DamagedFile(ExtraMileError, ValueError):
    """A small state file (a passphrase, a team's spelling, a wait) holds something other than a JSON object.

    A ValueError too, like the JSON decoder's error, so a reader treats both as one damaged file.
    """


class NoAccount(ExtraMileError, KeyError):
    """Nobody has claimed this name yet, so there is no passphrase to check or reset.

    A KeyError too: at sign-in a missing record and a record missing its fields are one damaged account.
    """


class Incomplete(ExtraMileError, ValueError):
    """An answer is not ready to save; the message tells the participant what is missing."""


class NotAWeek(ExtraMileError, ValueError):
    """A week that is not an ISO week such as 2026-W48 (a hand-edited journal line, a typed address)."""


class UnknownSection(ExtraMileError, ValueError):
    """A weekly-journal notebook cell asked for a section the page does not have."""


class DemoDataRefused(ExtraMileError):
    """Demo data was asked for with impossible sizes, or into a folder that already holds a journal."""


class NotSignedIn(ExtraMileError):
    """An answer was saved from a page before anyone signed in on it; nothing was written."""

    MESSAGE = "Sign in at the top of the page to save. Your answer stays here meanwhile."

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


class PageNotStarted(ExtraMileError):
    """A notebook cell asked for its page before the first cell built it."""

    def __init__(self) -> None:
        super().__init__("Call start_page(...) in the notebook's first cell.")


class ConsoleNotConfigured(ExtraMileError):
    """The facilitator's console was asked for before the server gave it a passphrase."""

    def __init__(self) -> None:
        super().__init__("The facilitator console has no passphrase yet: start the room with `make workshop` "
                         "(python -m extramile serve), which sets one, or call facilitator.configure(passphrase).")


class ContentError(ExtraMileError):
    """An exercises/*.yaml file is broken; the message names file, exercise and field."""


class SignInError(ExtraMileError):
    """Sign-in was refused; the message reveals nothing about other participants."""


class TeamsFileError(ExtraMileError):
    """The facilitator's list of teams (EXTRAMILE_TEAMS, EXTRAMILE_TEAMS_FILE) cannot be used."""


class NewPassphraseNeeded(SignInError):
    """The facilitator's reset code was right: the participant now chooses a new passphrase."""


class AnswerChanged(ExtraMileError):
    """Another tab saved this answer after this form was filled; nothing was written."""

    def __init__(self, newest_id: str | None) -> None:
        super().__init__("This answer was changed in another tab: reload to see it.")
        self.newest_id = newest_id
