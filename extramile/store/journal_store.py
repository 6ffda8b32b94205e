"""The one journal interface (`JournalStore`), and the one place that picks its backend (`open_journal`).

Two backends keep the journal. In the room, and for the facilitator's own
reading, it is a folder of JSON Lines files on this machine
(extramile.store.journal.Journal). Under JupyterHub, where every participant runs
code of their choice, it is the journal service, reached with the kernel's
own token (extramile.store.remote_journal.RemoteJournal). Pages, the weekly
journal, the summary and the report take a `JournalStore` and run unchanged
on either, like JupyterHub's `spawner_class`: the environment decides, here.

A few things only a folder on this machine can hold (passphrases, sessions,
the room's pace, a team's first spelling): `directory` is that folder, or
None under a hub, and the code that needs it says so.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path, PurePath
from typing import Protocol, runtime_checkable

from extramile.store.journal import Journal, ReadProblems
from extramile.store.remote_journal import RemoteJournal


@runtime_checkable
class JournalStore(Protocol):
    """Every participant's journal, as pages, the summary and the report use it."""

    problems: ReadProblems  # lines skipped while reading: counted, never fatal

    @property
    def directory(self) -> Path | None:
        """The folder on this machine the journal and the room's small files live in; None when a service keeps them."""

    @property
    def location(self) -> str:
        """Where the journal is, for a summary line: a folder or the service's address."""

    def append(self, *, participant: str, team: str, kind: str, lesson: str | None = None,
               exercise: str | None = None, answer: object = None, shared: bool = False,
               replaces: str | None = None, precondition: Callable[[list[dict]], None] | None = None) -> dict:
        """Store one entry; return it once it is on disk. `precondition` may refuse it on the current entries."""

    def entries(self, participant: str) -> list[dict]:
        """The participant's current entries, oldest first: a list of the caller's own."""

    def participants(self) -> list[str]:
        """Every participant with a journal this caller may read, by name."""

    def read_all(self) -> Iterator[dict]:
        """Every current entry this caller may read."""

    def files(self) -> Sequence[PurePath]:
        """One name per journal (its file stem and .jsonl), to read one at a time with `entries_in`."""

    def entries_in(self, path: PurePath) -> list[dict]:
        """Current entries of one journal named by `files()`."""


def service_url() -> str | None:
    """EXTRAMILE_JOURNAL_URL: set for every user's server by a hub that runs the journal service."""
    return os.environ.get("EXTRAMILE_JOURNAL_URL") or None


def default_directory(otherwise: Path = Path("journal")) -> Path:
    """The journal folder: EXTRAMILE_JOURNAL_DIR when set (make sets it), else `otherwise` (./journal)."""
    return Path(os.environ.get("EXTRAMILE_JOURNAL_DIR") or otherwise)


def open_journal(directory: str | os.PathLike | None = None) -> JournalStore:
    """The journal to use: a folder named on purpose; else the hub's journal service when there is one; else
    the default folder.

    A folder passed explicitly is always local files (the service's own store,
    tests, `--journal DIR`).
    """
    if directory is not None:
        return Journal(directory)
    url = service_url()
    return RemoteJournal(url) if url else Journal(default_directory())
