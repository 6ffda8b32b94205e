"""Files that are either whole on disk or not there at all.

An account, a team's spelling, the room's pace or a report is one small file.
Written in place, a full disk or a crash could leave it empty or cut short,
and an empty account file would lock its name forever. So each is written to
a temporary file beside it, fsynced, and only then given its name: by os.link
when it must not exist yet (link fails if the name is taken, like O_EXCL, so
the first of two racing writers wins), by os.replace when it is an update.
The folder is fsynced after, so the new name survives a crash as well.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

from extramile.exceptions import DamagedFile
from extramile.names import file_stem_for

# What a file system says when it cannot fsync a folder at all (some network and FUSE mounts): nothing
# more can be done there, and the file's own data is already safe. Any other error is the disk failing.
_CANNOT_SYNC_FOLDERS = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})


def fsync_directory(directory: Path) -> None:
    """Make a new file's name durable too, not only its contents; a disk error is raised, not hidden."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _CANNOT_SYNC_FOLDERS:
            raise
    finally:
        os.close(fd)


def _written(path: Path, data: bytes, mode: int) -> Path:
    """`data` in a fsynced temporary file beside `path` (permissions `mode`); the caller names or removes it."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_whole(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write the file whole, over whatever was there: a reader sees the old file or the new one, never a part."""
    temporary = _written(path, data, mode)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def create(path: Path, data: dict) -> bool:
    """Write the JSON file only if it does not exist yet; False when someone else's is there."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = _written(path, _json(data), 0o600)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    fsync_directory(path.parent)
    return True


def replace(path: Path, data: dict) -> None:
    """Write the JSON file whole, over whatever was there."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_whole(path, _json(data))


def _json(data: dict) -> bytes:
    return json.dumps(data).encode("utf-8")


def read(path: Path) -> dict | None:
    """The file's JSON object, or None when it is missing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if not isinstance(data, dict):
        raise DamagedFile(f"{path} does not hold a JSON object")
    return data


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
