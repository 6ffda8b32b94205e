"""A name's passphrase record: claimed once, checked at every sign-in, reset only by the facilitator.

The record is a salted scrypt hash in one small file per name
(journal/.accounts/), written whole or not at all (extramile.store.atomic), so a
full disk at the first sign-in never leaves an empty file that would lock
the name. Checking costs one scrypt, right or wrong.

A forgotten passphrase: `python -m extramile accounts reset NAME` replaces
the record with a one-time reset code, valid for RESET_SECONDS, that the
facilitator reads out. Signing in with the code as the passphrase asks for a
new one; the journal stays with its owner. Until then the old passphrase no
longer works, so a reset cannot be used to share an account.

A new passphrase (a first claim, or one chosen after a reset) must not be one
a guesser tries first: at least MIN_LENGTH characters, not one character
repeated, not a run of digits ("123456", "987654"), not in the shipped list
of the commonest passwords (common_passphrases.txt). Passphrases claimed
before these rules, of 4 or 5 characters, still open their journals: the
rules apply only when a passphrase is chosen.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from enum import Enum
from functools import cache
from pathlib import Path

from extramile.exceptions import NoAccount
from extramile.store import atomic

RESET_SECONDS = 24 * 60 * 60
MIN_LENGTH = 6
COMMON = Path(__file__).with_name("common_passphrases.txt")
GUESSABLE = ("That passphrase is one of the first a guesser would try. Please choose another: a few words "
             "you will remember, such as “lemon tree at noon”.")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out across a room


class Verdict(Enum):
    RIGHT = "right"
    WRONG = "wrong"
    RESET = "reset"  # the facilitator's reset code: a new passphrase must be chosen
    EXPIRED = "expired"  # a reset code, but too old


@cache
def _common() -> frozenset[str]:
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(_compared(line) for line in lines if line.strip() and not line.startswith("#"))


def _compared(passphrase: str) -> str:
    return "".join(passphrase.split()).casefold()


def _digit_run(text: str) -> bool:
    """'123456', '987654', '7890123': digits that each go one up, or each one down."""
    if not (text.isascii() and text.isdigit()) or len(text) < 2:
        return False
    steps = {(int(b) - int(a)) % 10 for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {9})


def weakness(passphrase: str) -> str | None:
    """Why a newly chosen passphrase is refused, as a sentence to show; None when it may be used."""
    if len(passphrase) < MIN_LENGTH:
        return f"Please choose a passphrase of at least {MIN_LENGTH} characters."
    compared = _compared(passphrase)
    if len(set(compared)) <= 1 or _digit_run(compared) or compared in _common():
        return GUESSABLE
    return None


def scrypt_hash(passphrase: str, salt: bytes) -> bytes:
    """The one slow, salted hash every passphrase here is kept as (participants' and the console's)."""
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, **_SCRYPT)


def _record(passphrase: str) -> dict:
    salt = secrets.token_bytes(16)
    return {"salt": salt.hex(), "scrypt": scrypt_hash(passphrase, salt).hex(), "n": _SCRYPT["n"]}


class Passphrases(atomic.RecordsByName):
    def claim(self, name: str, passphrase: str) -> bool:
        """Claim a name nobody has claimed; False if another tab got there first."""
        return atomic.create(self.path(name), _record(passphrase))

    def check(self, name: str, passphrase: str) -> Verdict:
        """How the typed passphrase compares; NoAccount, or ValueError or KeyError when the record is damaged."""
        stored = atomic.read(self.path(name))
        if stored is None:
            raise NoAccount(name)
        if "reset_until" in stored:
            passphrase = _code_form(passphrase)
        typed = scrypt_hash(passphrase, bytes.fromhex(stored["salt"]))
        if not hmac.compare_digest(typed, bytes.fromhex(stored["scrypt"])):
            return Verdict.WRONG
        if "reset_until" not in stored:
            return Verdict.RIGHT
        return Verdict.RESET if time.time() < stored["reset_until"] else Verdict.EXPIRED

    def change(self, name: str, passphrase: str) -> None:
        """Set a new passphrase (after a reset code was accepted)."""
        atomic.replace(self.path(name), _record(passphrase))

    def reset(self, name: str) -> str:
        """Replace the passphrase with a one-time code, returned to be read out; NoAccount if unclaimed."""
        if not self.exists(name):
            raise NoAccount(name)
        code = "-".join("".join(secrets.choice(_CODE_ALPHABET) for _ in range(4)) for _ in range(2))
        atomic.replace(self.path(name), {**_record(_code_form(code)), "reset_until": time.time() + RESET_SECONDS})
        return code


def _code_form(typed: str) -> str:
    """A reset code as typed back: "abcd efgh" is "ABCD-EFGH"."""
    return re.sub(r"[\s-]+", "", typed).upper()
