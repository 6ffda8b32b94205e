"""Small files that are either whole on disk or not there at all.

An account, a team's spelling or a session is one small JSON file. Written
in place, a full disk or a crash could leave it empty, and an empty account
file would lock its name forever. So each is written to a temporary file,
fsynced, and only then given its name: by os.link when it must not exist
yet (link fails if the name is taken, like O_EXCL, so the first of two
racing writers wins), by os.replace when it is an update.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from extramile.exceptions import DamagedFile
from extramile.journal import file_stem_for


def _written(path: Path, data: dict) -> Path:
    """`data` as JSON in a fsynced temporary file beside `path`; the caller names or removes it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def create(path: Path, data: dict) -> bool:
    """Write the file only if it does not exist yet; False when someone else's is there."""
    temporary = _written(path, data)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    _fsync_directory(path.parent)
    return True


def replace(path: Path, data: dict) -> None:
    """Write the file whole, over whatever was there."""
    temporary = _written(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def read(path: Path) -> dict | None:
    """The file's JSON object, or None when it is missing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if not isinstance(data, dict):
        raise DamagedFile(f"{path} does not hold a JSON object")
    return data


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot fsync a directory; the data is safe
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class RecordsByName:
    """A folder of small JSON records, one per participant name, named as the journal names files.

    The same file stem as the journal's (a slug and a hash of the name) keeps
    the folder readable for a facilitator and no typed name outside it.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, name: str) -> Path:
        return self.directory / f"{file_stem_for(name)}.json"

    def exists(self, name: str) -> bool:
        return self.path(name).exists()
