"""A name's passphrase record: claimed once, checked at every sign-in, reset only by the facilitator.

The record is a salted scrypt hash in one small file per name
(journal/.accounts/), written whole or not at all (extramile.atomic), so a
full disk at the first sign-in never leaves an empty file that would lock
the name. Checking costs one scrypt, right or wrong.

A forgotten passphrase: `python -m extramile accounts reset NAME` replaces
the record with a one-time reset code, valid for RESET_SECONDS, that the
facilitator reads out. Signing in with the code as the passphrase asks for a
new one; the journal stays with its owner. Until then the old passphrase no
longer works, so a reset cannot be used to share an account.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from enum import Enum

from extramile import atomic
from extramile.exceptions import NoAccount

RESET_SECONDS = 24 * 60 * 60
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out across a room


class Verdict(Enum):
    RIGHT = "right"
    WRONG = "wrong"
    RESET = "reset"  # the facilitator's reset code: a new passphrase must be chosen
    EXPIRED = "expired"  # a reset code, but too old


def _hash(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, **_SCRYPT)


def _record(passphrase: str) -> dict:
    salt = secrets.token_bytes(16)
    return {"salt": salt.hex(), "scrypt": _hash(passphrase, salt).hex(), "n": _SCRYPT["n"]}


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
        typed = _hash(passphrase, bytes.fromhex(stored["salt"]))
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
