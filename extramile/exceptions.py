"""Errors a facilitator, author or participant can act on; each message says what to do.

Journal errors live in extramile.journal, which depends on nothing of ours.
"""


class ExtraMileError(Exception):
    """Base for Extra Mile's own errors outside the journal store."""


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

    def __init__(self, newest_id: str | None):
        super().__init__("This answer was changed in another tab: reload to see it.")
        self.newest_id = newest_id
