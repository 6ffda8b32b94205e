"""What reading the journals found besides entries: skipped lines, exercises and kinds the content does not know.

The report and the summary notebook print it under their figures, so a
facilitator knows when a hand-edited or newer journal left something out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from extramile.store.journal import Problem, ReadProblems


@dataclass
class LoadReport:
    """What reading the journals found besides entries: counted, never fatal."""

    location: str  # the folder or the service the journals were read from
    files: int = 0
    entries: int = 0
    participants: int = 0
    skipped: list[Problem] = field(default_factory=list)
    unknown_exercises: Counter = field(default_factory=Counter)
    unknown_kinds: Counter = field(default_factory=Counter)

    def problems(self) -> list[str]:
        """One sentence per kind of problem, e.g. '3 lines skipped in 2 files'."""
        notes = []
        if self.skipped:
            notes.append(ReadProblems(self.skipped).summary())
        if self.unknown_exercises:
            notes.append(_count_of(self.unknown_exercises, "entry for an unknown exercise",
                                   "entries for unknown exercises"))
        if self.unknown_kinds:
            notes.append(_count_of(self.unknown_kinds, "entry of an unknown kind",
                                   "entries of unknown kinds"))
        return notes

    def summary(self) -> str:
        found = (f"{self.participants:,} participant{_s(self.participants)}, "
                 f"{self.entries:,} entr{'y' if self.entries == 1 else 'ies'} "
                 f"in {self.files:,} journal file{_s(self.files)}")
        return "; ".join([found, *self.problems()])


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _count_of(counter: Counter, one: str, many: str) -> str:
    total = sum(counter.values())
    names = ", ".join(str(k) for k, _ in counter.most_common(3))
    more = ", ..." if len(counter) > 3 else ""
    return f"{total:,} {one if total == 1 else many} ({names}{more})"
