"""Names and text as Extra Mile stores them: a name cleaned once, a file stem for it, answers without controls.

Pure string functions with no file behind them, so that the sign-in, the
room's small records, the export and the cards can use them without loading
the journal store.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from extramile.exceptions import InvalidName

MAX_NAME_LENGTH = 500
_SLUG_LENGTH = 40
_HASH_LENGTH = 12
_INVISIBLE = frozenset({"Cf", "Cs", "Co", "Zl", "Zp"})  # format, surrogate, private use, line/paragraph separators
# Default-ignorable characters (Unicode's DerivedCoreProperties) that are not format characters: the
# combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian and standard variation selectors.
DRAWS_NOTHING = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0"
                           "\U000e0100-\U000e01ef]")


def clean_name(name: str, what: str = "name") -> str:
    """Return the name as stored: NFC-normalized and trimmed.

    NFC makes "Zoë" typed on a Mac and on Windows the same person; trimming
    forgives a stray space. Control characters are refused because they would
    garble reports and terminals, and are never part of a real name. Invisible
    and formatting characters (zero-width space, soft hyphen, direction
    overrides: Unicode Cf, and line separators) are refused too: they make
    two names that look the same, or flip the text shown after them.
    """
    if not isinstance(name, str):
        raise InvalidName(f"The {what} must be text.")
    cleaned = unicodedata.normalize("NFC", name).strip()
    if not cleaned:
        raise InvalidName(f"Please type a {what}: it cannot be empty.")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InvalidName(f"That {what} is too long: please keep it under {MAX_NAME_LENGTH} characters.")
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise InvalidName(f"The {what} contains a control character (a tab or line break, say): please retype it.")
    if any(unicodedata.category(ch) in _INVISIBLE for ch in cleaned) or DRAWS_NOTHING.search(cleaned):
        raise InvalidName(f"The {what} contains an invisible or formatting character (a zero-width space, soft "
                          "hyphen or direction mark, often brought along by copy and paste): please type it again "
                          "by hand.")
    return cleaned


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # control characters but tab and line feed


def without_controls(text: str) -> str:
    """Text without control characters (NUL, ESC, a stray carriage return); tabs and line breaks stay.

    For answers, where a pasted ESC sequence would garble a terminal or a
    report; names refuse them outright (clean_name).
    """
    return _CONTROL.sub("", text)


@lru_cache(maxsize=4096)
def file_stem_for(name: str) -> str:
    """A file-system-safe stem for a participant: readable slug plus a hash of the exact name.

    The slug keeps files recognizable for a facilitator browsing the folder;
    the hash keeps "Zoë" and "Zoe" apart and is the same on every machine.
    Only [a-z0-9-] survive, so no name can climb out of the directory or hit
    a reserved device name such as CON.
    """
    exact = clean_name(name)
    ascii_name = unicodedata.normalize("NFKD", exact).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:_SLUG_LENGTH].strip("-")
    digest = hashlib.sha256(exact.encode("utf-8")).hexdigest()[:_HASH_LENGTH]
    return f"{slug or 'participant'}-{digest}"
