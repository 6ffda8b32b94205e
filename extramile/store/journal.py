"""The journal store: one append-only JSON Lines file per participant.

Every answer a participant gives ends up here, so this module is careful in
the ways a workshop needs: a confirmed entry is on disk (fsync), two tabs of
the same person never interleave their lines (an exclusive lock around one
write), a crash mid-write costs at most the entry being written (readers skip
a torn line, the next writer starts a clean one), and no name a person can
type reaches outside the journal directory. Of ours it imports only the
errors, the names and the whole-file writes, so every other part of Extra Mile
can rely on it. Under a hub the same calls go to the journal service instead
(extramile.store.remote_journal); extramile.store.journal_store chooses between the two.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import pickle
import stat
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path, PurePath

from extramile.exceptions import JournalError
from extramile.names import clean_name, file_stem_for
from extramile.store.atomic import fsync_directory

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
KINDS = ("exercise", "weekly", "habit", "commitment", "checkin", "profile")


def timestamp(moment: datetime) -> str:
    """The entry's "at": UTC with milliseconds and a Z, so entries sort as text."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_entry(*, participant: str, team: str, kind: str, lesson: str | None = None,
              exercise: str | None = None, answer: object = None, shared: bool = False,
              replaces: str | None = None, entry_id: str | None = None, at: datetime | None = None) -> dict:
    """One entry in the documented format; the demo writer builds its lines here too."""
    if kind not in KINDS:
        raise JournalError(f"Unknown entry kind {kind!r}; expected one of {', '.join(KINDS)}.")
    return {
        "v": SCHEMA_VERSION,
        "id": entry_id or uuid.uuid4().hex,
        "at": timestamp(at or datetime.now(UTC)),
        "participant": clean_name(participant),
        "team": clean_name(team, "team name"),
        "kind": kind,
        "lesson": lesson,
        "exercise": exercise,
        "answer": answer,
        "shared": bool(shared),
        "replaces": replaces,
    }


def encode_entry(entry: dict) -> bytes:
    """One JSON line; refuses what JSON cannot hold (NaN, objects) with a message."""
    try:
        return (json.dumps(entry, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise JournalError(f"This answer cannot be saved as JSON ({exc}).") from exc


@dataclass
class Problem:
    """A line a reader skipped, kept so a report can say how many and where."""

    path: PurePath
    line: int
    reason: str


@dataclass
class ReadProblems:
    """Every line skipped since the journal was opened: counted, never fatal."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: PurePath, line: int, reason: str) -> None:
        self.items.append(Problem(path, line, reason))
        log.warning("Skipped line %d of %s: %s", line, path, reason)

    def summary(self) -> str:
        if not self.items:
            return "no lines skipped"
        files = len({p.path for p in self.items})
        lines = len(self.items)
        return f"{lines} line{'s' if lines != 1 else ''} skipped in {files} file{'s' if files != 1 else ''}"


class Journal:
    """All participants' journals in one directory."""

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)
        self.problems = ReadProblems()

    @property
    def location(self) -> str:
        """The folder, in full, for a summary line."""
        return str(self.directory.resolve())

    def path_for(self, participant: str) -> Path:
        return self.directory / f"{file_stem_for(participant)}.jsonl"

    def append(
        self,
        *,
        participant: str,
        team: str,
        kind: str,
        lesson: str | None = None,
        exercise: str | None = None,
        answer: object = None,
        shared: bool = False,
        replaces: str | None = None,
        precondition: Callable[[list[dict]], None] | None = None,
    ) -> dict:
        """Append one entry and return it once it is on disk (fsync'ed).

        `precondition`, if given, sees the participant's current entries while
        the file is locked and may raise to cancel the write: two tabs saving
        the same answer at once cannot both replace the same version.
        """
        entry = new_entry(participant=participant, team=team, kind=kind, lesson=lesson, exercise=exercise,
                          answer=answer, shared=shared, replaces=replaces)
        self._write_line(self.path_for(participant), encode_entry(entry), precondition)
        return entry

    def _write_line(self, path: Path, line: bytes, precondition: Callable[[list[dict]], None] | None = None) -> None:
        try:
            try:
                fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            except FileNotFoundError:
                self.directory.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise JournalError(explain_os_error(exc, self.directory)) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            size = os.fstat(fd).st_size
            if precondition is not None:
                precondition(_current(_parse(path, _read_all(fd, size), ReadProblems())))
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line  # a crash left a torn line: start ours clean
            try:
                written = os.write(fd, line)
                if written != len(line):
                    raise OSError(errno.ENOSPC, "short write")
                os.fsync(fd)
            except OSError:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)  # leave no half entry behind
                raise
            if size == 0:
                fsync_directory(self.directory)
        except OSError as exc:
            raise JournalError(explain_os_error(exc, self.directory)) from exc
        finally:
            os.close(fd)

    def entries(self, participant: str) -> list[dict]:
        """The participant's current entries (newest version of each), oldest first.

        Every page a participant opens reads their file, so the parsed file is
        kept per process, keyed by the file's identity, size and change time:
        any write (theirs, from any tab) changes the key, so a read never sees
        an old version. It is kept as a pickled snapshot, and every caller gets
        entries of its own from it (a quarter of the cost of parsing again): a
        page that edits what it was given cannot change what the next one reads.
        """
        path = self.path_for(participant)
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise JournalError(explain_os_error(exc, self.directory)) from exc
        if not stat.S_ISREG(info.st_mode):
            return self._current_of(path)
        snapshot, problems = _cached_current(path, info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
        self.problems.items.extend(problems)
        return pickle.loads(snapshot)

    def _current_of(self, path: Path) -> list[dict]:
        return _current(self._read_file(path))

    def participants(self) -> list[str]:
        """Every participant with a journal here, by the name in their entries."""
        names = []
        for path in self._files():
            for entry in self._read_file(path):
                names.append(entry["participant"])
                break
        return sorted(names)

    def read_all(self) -> Iterator[dict]:
        """Every current entry of every participant, one file at a time."""
        for path in self._files():
            yield from _current(self._read_file(path))

    def files(self) -> list[Path]:
        """The journal files, for callers that show progress while reading."""
        return self._files()

    def entries_in(self, path: PurePath) -> list[dict]:
        """Current entries of one journal file named by `files()`."""
        return _current(self._read_file(Path(path)))

    def _files(self) -> list[Path]:
        try:
            return sorted(p for p in self.directory.glob("*.jsonl") if p.is_file())
        except OSError as exc:
            raise JournalError(explain_os_error(exc, self.directory)) from exc

    def _read_file(self, path: Path) -> list[dict]:
        try:
            with open(path, "rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    self.problems.add(path, 0, "not a regular file")
                    return []
                data = handle.read()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise JournalError(explain_os_error(exc, self.directory)) from exc
        return _parse(path, data, self.problems)


def _read_all(fd: int, size: int) -> bytes:
    chunks, offset = [], 0
    while offset < size:
        chunk = os.pread(fd, size - offset, offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


_DECODER = json.JSONDecoder()
_SCAN = _DECODER.scan_once


def _loads_line(line: str) -> object:
    """`json.loads` of one line, without its look for whitespace around the value, which our writer never puts.

    A line the fast path cannot take whole (surrounding whitespace, a CRLF
    edit, trailing data, broken JSON) goes through the full decoder, which
    accepts or explains it exactly as `json.loads` would.
    """
    try:
        value, end = _SCAN(line, 0)
    except StopIteration:
        end = -1
    return value if end == len(line) else _DECODER.decode(line)


def _parse(path: Path, data: bytes, problems: ReadProblems) -> list[dict]:
    """Every entry in a file's bytes; torn or foreign lines are noted in `problems` and skipped.

    The file is decoded once and each line handed to the decoder directly: a
    summary of a year reads a hundred thousand lines, and `json.loads` would
    sniff each one's encoding again. A file with a byte that is not UTF-8 (a
    torn multi-byte character, a hand edit) is read line by line instead, so
    only the bad line is skipped.
    """
    try:
        lines = data.decode("utf-8-sig").split("\n")
        loads = _loads_line
    except UnicodeDecodeError:
        lines = data.split(b"\n")
        loads = json.loads
    if lines[-1]:
        problems.add(path, len(lines), "cut short (the writer stopped mid-line)")
    entries = []
    for number, raw in enumerate(lines[:-1], start=1):
        if not raw:
            continue
        try:
            entry = loads(raw)
        except ValueError:
            problems.add(path, number, "not valid JSON")
            continue
        if type(entry) is not dict or "id" not in entry or "participant" not in entry:
            problems.add(path, number, "not a journal entry")
        elif entry.get("v") != SCHEMA_VERSION:
            problems.add(path, number, f"written by a newer version (v={entry.get('v')!r})")
        else:
            entries.append(entry)
    return entries


@lru_cache(maxsize=256)
def _cached_current(path: Path, _device: int, _inode: int, _size: int,
                    _changed_ns: int) -> tuple[bytes, tuple[Problem, ...]]:
    """One parse per version of a file; the lines it skipped are remembered with it (logged once)."""
    reader = Journal(path.parent)
    return pickle.dumps(reader._current_of(path), pickle.HIGHEST_PROTOCOL), tuple(reader.problems.items)


def _current(entries: list[dict]) -> list[dict]:
    replaced = {e["replaces"] for e in entries if e.get("replaces")}
    if not replaced:
        return entries
    return [e for e in entries if e["id"] not in replaced]


def explain_os_error(exc: OSError, directory: str | os.PathLike) -> str:
    """What a participant reads when the journal's disk fails; the folder and the detail go to the server's log.

    Participants never see a path of the server's: it tells a stranger how the machine is laid out, and
    only the facilitator, reading the log where `make workshop` runs, can act on it.
    """
    log.error("The journal folder %s could not be written: %s", directory, exc)
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return ("The disk holding the journal is full, so this answer was not saved. "
                "Your text is still here: ask the facilitator to free some space, then press save again.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ("The journal folder cannot be written to, so this answer was not saved. "
                "Your text is still here: ask the facilitator to check the folder's permissions, then save again.")
    return (f"The journal could not be used ({exc.strerror or 'an error of the disk'}), so nothing was saved. "
            "Your text is still here.")
