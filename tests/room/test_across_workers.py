"""The processes of serve --workers tell each other who is online and who signed out everywhere."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace

import pytest

from extramile.identity.sessions import Sessions
from extramile.room import across_workers
from extramile.room.browser_tabs import TABS
from extramile.room.room_state import RoomState


class OpenPage:
    """A signed-in tab as the board sees it: who it stands for, and its check of the browser's session."""

    def __init__(self, name: str) -> None:
        self.book = SimpleNamespace(participant=SimpleNamespace(name=name))
        self.checks = 0

    def follow_browser(self, session: str | None = None) -> None:
        self.checks += 1


@pytest.fixture
def worker(monkeypatch, tmp_path):
    """This test is process w1 of a room; its open tabs are joined on the board and left after."""
    monkeypatch.setenv("EXTRAMILE_WORKER", "w1")
    joined = []

    def open_tab(name: str) -> OpenPage:
        page = OpenPage(name)
        token = f"test-tab-{len(joined)}"
        TABS.join(token, page, lambda action: action())
        joined.append((token, page))
        return page
    messenger = across_workers.Messenger(RoomState(tmp_path), tmp_path, "w1")
    yield messenger, open_tab
    for token, page in joined:
        TABS.leave(token, page)


def write_online(folder, worker: str, people: list[str], at: float) -> None:
    (folder / across_workers.ONLINE_FOLDER).mkdir(exist_ok=True)
    digests = [across_workers._digest(person) for person in people]
    (folder / across_workers.ONLINE_FOLDER / f"{worker}.json").write_text(json.dumps({"at": at, "people": digests}))


def test_online_counts_each_person_once_across_processes_and_forgets_an_ended_one(worker, tmp_path):
    messenger, open_tab = worker
    open_tab("Ana Walker")
    open_tab("Ben Okafor")
    write_online(tmp_path, "w2", ["Ben Okafor", "Chen Li"], at=time.time())  # Ben has a second browser on w2
    write_online(tmp_path, "w3", ["Dana Cruz"], at=time.time() - across_workers.ONLINE_FRESH - 1)  # ended
    assert across_workers.people_online(tmp_path) == 3


def test_this_process_writes_who_it_has_online_without_their_names(worker, tmp_path):
    messenger, open_tab = worker
    open_tab("Ana Walker")
    messenger.look()
    written = (tmp_path / across_workers.ONLINE_FOLDER / "w1.json").read_text()
    assert "Ana" not in written and json.loads(written)["people"] == [across_workers._digest("Ana Walker")]


def test_a_sign_out_everywhere_in_another_process_has_every_page_here_check_its_session(worker, tmp_path):
    messenger, open_tab = worker
    sessions = Sessions(tmp_path / ".sessions")
    sessions.start("Ana Walker", "Blue")  # her laptop's sign-in
    laptop = open_tab("Ana Walker")
    messenger.look()
    assert laptop.checks == 0
    time.sleep(0.01)  # a later moment than the messenger's last look, on any file system's clock
    sessions.end_all_of("Ana Walker")  # done by the process serving her phone
    messenger.look()
    assert laptop.checks == 1
    messenger.look()
    assert laptop.checks == 1


def test_a_single_process_follows_nobody(monkeypatch, tmp_path):
    monkeypatch.delenv("EXTRAMILE_WORKER", raising=False)
    assert across_workers.start(RoomState(tmp_path), tmp_path) is None
    write_online(tmp_path, "w2", ["Chen Li"], at=time.time())  # a leftover of an earlier run with workers
    assert across_workers.people_online(tmp_path) == 0
