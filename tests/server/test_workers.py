"""`serve --workers 2`: one address, two app processes behind HAProxy, as a large room runs it.

A small crowd speaking the app's protocol (benchmarks/crowd.py) goes through
the proxy: every "Saved" it was shown is in its owner's journal, and both
processes served some of it. The proxy must not let a client choose the
address the processes see, and stopping the room stops every process.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest

from benchmarks import crowd
from extramile.room import across_workers
from extramile.server.workers import ROUTE_COOKIE, haproxy_program
from tests.conftest import start_app

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 120  # a ceiling for a step on a busy machine, not a measurement
CAP = 30  # page loads a minute from one address, per process: the crowd's six stay under it


@pytest.fixture(scope="module")
def haproxy() -> None:
    if haproxy_program():
        return
    message = "haproxy is missing: apt-get install haproxy (make test installs it when run as root)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def room(haproxy, tmp_path_factory):
    """Two processes on one journal; a page-load cap low enough to reach, high enough for the crowd."""
    server = start_app(tmp_path_factory.mktemp("workers-journal"), "--workers", "2",
                       env={"EXTRAMILE_PAGE_LOADS_PER_MINUTE": str(CAP)})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def crowd_of_six(room):
    plans = [crowd.Plan(number, arrives=0.2 * number, saves=2, think=(0, 0), reading=(0, 0)) for number in range(6)]
    plans[2].reload_after = 1

    async def journeys() -> tuple[list[crowd.Outcome], set[str]]:
        outcomes = await crowd.run(room.base_url, plans, TIMEOUT)
        routed = {o.tab.browser.http.cookies.get(ROUTE_COOKIE) for o in outcomes if o.tab is not None}
        await crowd.leave_all(outcomes)
        return outcomes, routed
    with ThreadPoolExecutor(1) as thread:  # the browser tests' Playwright may already run an event loop here
        outcomes, routed = thread.submit(asyncio.run, journeys()).result()
    return outcomes, routed, room.journal_dir, room


def test_the_room_announces_one_address_for_both_processes(crowd_of_six):
    *_, server = crowd_of_six
    assert server.announced.startswith(f"Extra Mile is ready. Participants open: {server.base_url}/")
    assert any("2 app processes share this address" in line for line in server.output)


def test_a_crowd_through_the_proxy_saves_everything_into_its_owners_journals(crowd_of_six):
    outcomes, _routed, journal, _server = crowd_of_six
    assert [o.failure for o in outcomes] == [None] * 6
    assert [len(o.confirmed) for o in outcomes] == [2] * 6
    assert outcomes[2].reload_kept is True
    check = crowd.check_journals(journal, outcomes)
    assert (check.missing, check.misplaced, check.damaged) == ([], [], [])


def test_both_processes_served_the_crowd_and_told_each_other_who_was_online(crowd_of_six):
    _outcomes, routed, journal, _server = crowd_of_six
    assert routed == {"w1", "w2"}
    assert {path.stem for path in (journal / across_workers.ONLINE_FOLDER).glob("*.json")} == {"w1", "w2"}


def page_load(url: str, headers: dict) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_client_cannot_pose_as_many_addresses_through_the_proxy(room, crowd_of_six):
    pinned = {"Cookie": f"{ROUTE_COOKIE}=w1"}  # one process's cap (each process counts its own)
    statuses = [page_load(room.base_url + "/", {**pinned, "X-Forwarded-For": f"10.0.0.{n}"}) for n in range(CAP + 1)]
    assert statuses[-1] == 503 and set(statuses) == {200, 503}


def test_stopping_the_room_stops_the_proxy_and_every_process(room, crowd_of_six):
    children = psutil.Process(room.process.pid).children(recursive=True)
    assert sum("haproxy" in child.name() for child in children) >= 1 and len(children) >= 3
    room.process.send_signal(signal.SIGTERM)
    room.process.wait(timeout=30)
    gone, alive = psutil.wait_procs(children, timeout=15)
    assert alive == []


def test_without_haproxy_it_says_how_to_get_it_and_serves_nothing(tmp_path):
    missing = {**os.environ, "EXTRAMILE_HAPROXY": str(tmp_path / "no-haproxy")}
    finished = subprocess.run([sys.executable, "-m", "extramile", "serve", "--workers", "2", "--journal",
                               str(tmp_path)], cwd=REPO, env=missing, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 2
    assert "apt-get install haproxy" in finished.stderr and "Participants open" not in finished.stdout
