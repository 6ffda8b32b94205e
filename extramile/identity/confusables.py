"""Names that look alike: "Zoë" and "Zοë" (a Greek omicron) must not be two people in one room.

A name's skeleton is what it looks like: NFKC-normalized, decomposed,
casefolded, and every character replaced by the prototype Unicode lists it as confusable
with (UTS #39: Cyrillic "а" and Latin "a", "rn" and "m"). Two names with the
same skeleton would be told apart by nobody reading the wall or the report.
Accents are kept: "Zoë" and "Zoe" are different names and stay different.
Marks that draw nothing are not: a combining grapheme joiner or a variation
selector is dropped, and an accent typed twice over the same letter draws
once, so "Zoë" with either is still Zoë's skeleton.

The table (confusables.tsv) is generated from Unicode's confusables.txt by
tools/make_confusables.py and shipped, rather than a dependency: the one
package that offers such matching enumerates every spelling of a name (a
long name would hang the sign-in) and has not been updated since 2021.
"""

from __future__ import annotations

import hashlib
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from extramile.names import DRAWS_NOTHING, file_stem_for
from extramile.store import atomic

TABLE = Path(__file__).with_name("confusables.tsv")


@cache
def _prototypes() -> dict[int, str]:
    table = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, target = line.split("\t")
            table[int(source, 16)] = "".join(chr(int(code, 16)) for code in target.split())
    return table


def _normal(text: str) -> str:
    """NFKC, then NFD so that accents are looked up apart from their letters; marks drawn once."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", DRAWS_NOTHING.sub("", text)))
    return "".join(ch for i, ch in enumerate(decomposed)
                   if not (i and ch == decomposed[i - 1] and unicodedata.combining(ch)))


@lru_cache(maxsize=4096)
def skeleton(name: str) -> str:
    """What the name looks like: equal skeletons mean a reader could take one name for the other.

    Mapped before casefolding (a Greek capital zeta is a Z) and after it (an
    omicron is an o), so capitals and letters from another alphabet both match.
    """
    prototypes = _prototypes()
    before = _normal(name).translate(prototypes)
    return _normal(_normal(before).casefold()).translate(prototypes)


class Lookalikes:
    """Which claimed name holds each skeleton: one small file per skeleton, beside the accounts.

    Created atomically, so of two look-alike names claimed at the same moment
    only one gets through.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, name: str) -> Path:
        return self.directory / f"{hashlib.sha256(skeleton(name).encode('utf-8')).hexdigest()[:32]}.json"

    def claim(self, name: str) -> bool:
        """Hold the name's skeleton for it; False when another name already holds it."""
        path = self._path(name)
        holder = atomic.read(path)
        if holder is None and atomic.create(path, {"stem": file_stem_for(name), "name": name}):
            return True
        return (holder or atomic.read(path) or {}).get("stem") == file_stem_for(name)

    def holder(self, name: str) -> dict | None:
        """The record of the claimed name that looks like this one: its file stem, and its name when recorded."""
        return atomic.read(self._path(name))
