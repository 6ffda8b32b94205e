"""`make hub` in a terminal: Ctrl-C stops the hub, its proxy and its services within seconds.

The test types Ctrl-C into a real pseudo-terminal, so the signal reaches
`make` and the hub exactly as a facilitator's keyboard sends it. Then every
process that `make hub` had started must be gone within STOP_SECONDS: the
hub waits for its services, and a service that shrugs off the hub's SIGINT
costs the hub's whole 30-second grace before the SIGTERM.

`make hub` is also started in the background, with SIGINT ignored (as
`make hub &` from a script, nohup or CI start it), and stopped with `kill`
(SIGTERM), as running `make hub` again stops the previous hub: the services
it started inherit the ignored SIGINT, and must stop all the same.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import subprocess
import termios
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from tests.conftest import free_port
from tests.hub.hubtools import wait_until
from tests.hub.trial_hub import require_hub_prerequisites

REPO = Path(__file__).resolve().parents[2]
STOP_SECONDS = 5
START_SECONDS = 180


def start_make_hub(state: Path, terminal: int | None, ignore_sigint: bool) -> subprocess.Popen:
    """`make hub` on a free port, its output to `terminal` (a pty) or to a log beside the state folder."""
    env = {**os.environ, "HUB_PORT": str(free_port()), "HUB_STATE": str(state)}
    env.pop("JUPYTERHUB_API_TOKEN", None)

    def own_terminal() -> None:
        if ignore_sigint:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        if terminal is not None:
            fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)  # the terminal Ctrl-C is typed into

    io = terminal if terminal is not None else open(state.parent / "make-hub.log", "wb")  # noqa: SIM115
    return subprocess.Popen(["make", "--no-print-directory", "hub"], cwd=REPO, env=env, stdin=io, stdout=io,
                            stderr=io, start_new_session=True, preexec_fn=own_terminal)


def wait_until_running(read: Callable[[], str]) -> None:
    """Until the hub says it is running: its services are started and its signal handlers set."""
    seen: list[str] = []

    def running() -> bool:
        seen.append(read())
        return "JupyterHub is now running" in "".join(seen)
    wait_until(running, START_SECONDS, "the hub did not start")


def read_terminal(controller: int) -> Callable[[], str]:
    def read() -> str:
        ready, _, _ = select.select([controller], [], [], 0.2)
        return os.read(controller, 65536).decode(errors="replace") if ready else ""
    return read


def started_by(make: subprocess.Popen) -> list[psutil.Process]:
    """The hub, its proxy and its services (the journal service, the idle culler), once all are up."""
    def everyone() -> list[psutil.Process] | None:
        tree = psutil.Process(make.pid).children(recursive=True)
        lines = [" ".join(p.cmdline()) for p in tree]
        wanted = ("jupyterhub -f", "configurable-http-proxy", "journal-service", "jupyterhub_idle_culler")
        return tree if all(any(w in line for line in lines) for w in wanted) else None
    return wait_until(everyone, START_SECONDS, "the hub's proxy and services did not all start")


def seconds_until_gone(processes: list[psutil.Process], limit: float) -> tuple[float, list[str]]:
    """How long until every one had ended, and the command lines of those still running after `limit` (killed)."""
    started = time.monotonic()
    _gone, alive = psutil.wait_procs(processes, timeout=limit)
    left = []
    for process in alive:
        left.append(" ".join(process.cmdline()))
        process.kill()
    return time.monotonic() - started, left


@pytest.fixture
def prerequisites():
    require_hub_prerequisites()


def test_ctrl_c_in_the_terminal_stops_the_hub_and_its_services(prerequisites, tmp_path):
    controller, terminal = pty.openpty()
    try:
        make = start_make_hub(tmp_path / "state", terminal, ignore_sigint=False)
        wait_until_running(read_terminal(controller))
        processes = [psutil.Process(make.pid), *started_by(make)]
        os.write(controller, b"\x03")  # Ctrl-C, as typed
        took, left = seconds_until_gone(processes, STOP_SECONDS * 4)
    finally:
        os.close(controller)
        os.close(terminal)
    assert not left and took <= STOP_SECONDS, f"make hub took {took:.1f} s to stop after Ctrl-C; left: {left}"


def test_a_hub_started_in_the_background_stops_with_its_services_when_killed(prerequisites, tmp_path):
    make = start_make_hub(tmp_path / "state", None, ignore_sigint=True)
    wait_until_running(lambda: (tmp_path / "make-hub.log").read_text(errors="replace"))
    processes = started_by(make)
    hub = psutil.Process(int((tmp_path / "state" / "jupyterhub.pid").read_text()))
    hub.terminate()  # `kill $(cat jupyterhub.pid)`, as `make hub` does to a hub it finds running
    took, left = seconds_until_gone(processes, STOP_SECONDS * 4)
    make.wait(STOP_SECONDS)
    assert not left and took <= STOP_SECONDS, f"the hub and its services took {took:.1f} s to stop; left: {left}"
