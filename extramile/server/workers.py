"""`serve --workers N`: one address for the room, N app processes behind HAProxy, each browser kept on one.

One app process uses one core (Python runs one thread at a time), and a
crowd arriving at once needs more: measured with benchmarks/bench_crowd.py,
one process lets 200 people arriving in 30 s wait over a minute for a
lesson, and drops saves when 500 arrive in a minute. So for a large room
the facilitator starts several processes on the same journal folder, and a
real proxy (HAProxy, Debian's `haproxy`) shares the room's port among them.

What keeps this safe is that one browser always reaches the same process:
HAProxy gives each browser a cookie naming its process on the first answer.
So a browser's tabs, the one-time tickets its sign-in trades for a cookie,
and the console's sign-in stay in one process, as with a single one. What
the processes must share goes through the journal folder, as before
(journals, accounts, sign-ins, refusals), plus what
extramile/room/across_workers.py passes between them: the room's pace, who
is online, and sign-outs.

The processes listen on Unix sockets in a private folder, never on a port:
nothing but the proxy can reach them, so the address the proxy forwards is
the participant's own and a script on this machine cannot pose as many
people. The proxy replaces any X-Forwarded-For a client sent.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extramile.server.addresses import announce, participant_url

HAPROXY_MISSING = ("error: --workers needs HAProxy, which shares the room's port among the processes: "
                   "install it with 'sudo apt-get install haproxy'")
START_SECONDS = 90  # a worker imports Solara and builds the app once before it answers
STOP_SECONDS = 10
ROUTE_COOKIE = "extramile-worker"

CONFIG = """\
global
    # as many connections as the file limit allows (HAProxy works it out)
    nbthread 1

defaults
    mode http
    timeout connect 5s
    # a page asked of a busy process waits for it instead of failing
    timeout client 5m
    timeout server 5m
    timeout tunnel 12h
    timeout client-fin 30s
    timeout http-keep-alive {keep_alive}s
    timeout http-request 30s

frontend room
    bind {bind}
    http-request set-header X-Forwarded-For %[src]
    default_backend workers

backend workers
    balance leastconn
    cookie {cookie} insert indirect nocache httponly attr SameSite=Strict
{servers}
"""


def haproxy_config(bind: str, sockets: list[Path], keep_alive: int) -> str:
    servers = "\n".join(f"    server w{number} unix@{socket} cookie w{number}"
                        for number, socket in enumerate(sockets, start=1))
    return CONFIG.format(bind=bind, servers=servers, cookie=ROUTE_COOKIE,
                         keep_alive=keep_alive)


def bind_address(host: str, port: int) -> str:
    return f"ipv6@{host}:{port}" if ":" in host else f"{host}:{port}"


def haproxy_program() -> str | None:
    """HAProxy as installed by Debian (in /usr/sbin, which a user's PATH may lack), or EXTRAMILE_HAPROXY."""
    chosen = os.environ.get("EXTRAMILE_HAPROXY")
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    return shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")


def refusal(args: argparse.Namespace) -> str | None:
    """Why these settings cannot run as several processes, or None."""
    if args.cert or args.key:
        return "error: --workers serves plain HTTP; for HTTPS serve one process (make workshop CERT= KEY=)"
    if args.proxy:
        return "error: --workers puts its own proxy in front; it cannot also believe --proxy"
    if not haproxy_program():
        return HAPROXY_MISSING
    return None


def run(args: argparse.Namespace, journal: Path, keep_alive: int) -> int:
    """Start the processes and the proxy on the journal folder serve made, announce the room, stop them together."""
    from extramile.room import facilitator

    problem = refusal(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    chosen = os.environ.get("FACILITATOR_PASSPHRASE") or None
    passphrase = chosen or facilitator.new_passphrase()
    url = participant_url(args.host, args.port)
    with tempfile.TemporaryDirectory(prefix="extramile-workers-") as private:
        sockets = [Path(private) / f"worker-{number}.sock" for number in range(1, args.workers + 1)]
        env = {**os.environ, "FACILITATOR_PASSPHRASE": passphrase, "EXTRAMILE_WORKERS": str(args.workers)}
        children = [start_worker(journal, socket, url, env, number) for number, socket in enumerate(sockets, 1)]
        try:
            if not wait_for(sockets, children):
                print("error: the app processes did not start (see above)", file=sys.stderr)
                return 1
            config = Path(private) / "haproxy.cfg"
            config.write_text(haproxy_config(bind_address(args.host, args.port), sockets, keep_alive), encoding="utf-8")
            proxy = subprocess.Popen([haproxy_program(), "-W", "-db", "-q", "-f", str(config)],
                                     stdin=subprocess.DEVNULL)
            children.append(proxy)
            if not answers(args.host, args.port, proxy):
                print(f"error: HAProxy could not listen on {args.host}:{args.port} (is the port in use?)",
                      file=sys.stderr)
                return 1
            announce(args.host, args.port, None if chosen else passphrase)
            print(f"{args.workers} app processes share this address (HAProxy keeps each browser on one).",
                  flush=True)
            return wait_until_one_ends(children)
        finally:
            stop(children)


def start_worker(journal: Path, socket: Path, url: str, env: dict[str, str], number: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "extramile", "serve", "--journal", str(journal),
               "--socket", str(socket), "--public-url", url]
    return subprocess.Popen(command, env={**env, "EXTRAMILE_WORKER": f"w{number}"}, stdin=subprocess.DEVNULL)


def wait_for(sockets: list[Path], children: list[subprocess.Popen]) -> bool:
    """True once every worker listens on its socket; False as soon as one has ended."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            return False
        if all(socket.exists() for socket in sockets):
            return True
        time.sleep(0.2)
    return False


def answers(host: str, port: int, proxy: subprocess.Popen) -> bool:
    import socket

    target = "127.0.0.1" if host in ("0.0.0.0", "") else ("::1" if host == "::" else host)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and proxy.poll() is None:
        try:
            socket.create_connection((target, port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


def wait_until_one_ends(children: list[subprocess.Popen]) -> int:
    """Block until Ctrl-C, SIGTERM or the end of any process: a room with a dead worker is not served."""
    stopping = []

    def stop_now(signum: int, _frame: object) -> None:
        stopping.append(signum)
    signal.signal(signal.SIGTERM, stop_now)
    try:
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    print(f"error: an app process ended (exit {child.returncode}); stopping the room",
                          file=sys.stderr)
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    return 0


def stop(children: list[subprocess.Popen]) -> None:
    """SIGTERM to each (every tab's session closes), then a kill for any still running after STOP_SECONDS."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
