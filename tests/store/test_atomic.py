"""Whole files: a reader finds the old file or the new one, never a part, and no temporary is left behind."""

import errno
import json
import os

import pytest

from extramile.room.room_state import RoomState
from extramile.store import atomic
from extramile.store.journal import Journal
from extramile.store.room_file import load_pace


def fail_fsync(monkeypatch, code, *, of_folders=False):
    """The disk answers fsync of files (or of folders) with this error, as a full or failing disk does."""
    real = os.fsync

    def fsync(fd):
        if os.path.isdir(f"/proc/self/fd/{fd}") == of_folders:
            raise OSError(code, os.strerror(code))
        real(fd)
    monkeypatch.setattr(os, "fsync", fsync)


def test_a_disk_that_fails_mid_write_leaves_the_old_file_whole_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    atomic.write_whole(target, b"the old report", mode=0o644)
    fail_fsync(monkeypatch, errno.ENOSPC)
    with pytest.raises(OSError):
        atomic.write_whole(target, b"the new report, cut short", mode=0o644)
    assert target.read_bytes() == b"the old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_the_rooms_pace_survives_a_full_disk_as_it_was(tmp_path, monkeypatch):
    room = RoomState(tmp_path)
    room.hide("entry-1")
    fail_fsync(monkeypatch, errno.ENOSPC)
    room.hide("entry-2")  # the server keeps it in memory and says so in its log
    assert load_pace(tmp_path).hidden == ["entry-1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".room.json", ".room.json.lock"]  # no half-written file


def test_a_folder_the_file_system_cannot_fsync_still_saves(tmp_path, monkeypatch):
    fail_fsync(monkeypatch, errno.EINVAL, of_folders=True)  # some network and FUSE mounts
    assert atomic.create(tmp_path / "teams" / "blue.json", {"team": "Blue"})
    entry = Journal(tmp_path / "journal").append(participant="Zoë", team="Blue", kind="profile")
    assert Journal(tmp_path / "journal").entries("Zoë") == [entry]
    assert json.loads((tmp_path / "teams" / "blue.json").read_text()) == {"team": "Blue"}


def test_a_folder_that_fails_to_fsync_is_a_failed_save(tmp_path, monkeypatch):
    """An I/O error on the folder means the new name may not survive a crash: say so rather than claim it."""
    fail_fsync(monkeypatch, errno.EIO, of_folders=True)
    with pytest.raises(OSError):
        atomic.replace(tmp_path / "accounts" / "zoe.json", {"hash": "x"})
