"""Names that look alike: "Zoë" and "Zοë" (a Greek omicron) must not be two people in one room.

A name's skeleton is what it looks like: NFKC-normalized, decomposed,
casefolded, and every character replaced by the prototype Unicode lists it as confusable
with (UTS #39: Cyrillic "а" and Latin "a", "rn" and "m"). Two names with the
same skeleton would be told apart by nobody reading the wall or the report.
Accents are kept: "Zoë" and "Zoe" are different names and stay different.

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

from extramile import atomic
from extramile.journal import file_stem_for

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
    """NFKC, then NFD so that accents are looked up apart from their letters."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))


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

    def claim(self, name: str) -> bool:
        """Hold the name's skeleton for it; False when another name already holds it."""
        key = hashlib.sha256(skeleton(name).encode("utf-8")).hexdigest()[:32]
        path = self.directory / f"{key}.json"
        mine = {"stem": file_stem_for(name)}
        holder = atomic.read(path)
        if holder is None and atomic.create(path, mine):
            return True
        return (holder or atomic.read(path)) == mine
