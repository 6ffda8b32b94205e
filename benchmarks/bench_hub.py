"""Hub budget: 20 participants on a real JupyterHub each save 10 answers from their own kernel through the
journal service, all kernels at once with a short pause between answers (people, not a loop). None may be
lost, and the save p95 through the service (Journal.append, confirmed once fsync'ed) must stay within 2x
of the bare service floor: the same request body, sent by the same client code from the same kernels to a
minimal tornado handler on loopback beside the service that appends it to a file and fsyncs it, with no
authentication (benchmarks/bare_save_floor.py), interleaved with the service's saves in the same run, so
that both see the same stream of requests (the page Saves below come after, in a phase of their own).
A local-file save (Journal on the kernel's own disk) is timed the same way and reported beside it,
without a budget: it has no process hop, which a service cannot avoid. A page's whole Save (AnswerBook:
re-read, two-tab check, append: two requests) is reported too, without a budget; so are spawn time and
memory (server plus kernel) per participant.

Timing starts once every kernel has started and read its page, as in a room in session: twenty kernels
importing in the same second saturate two cores, and a save timed then measures the scheduler (the
service waits for a turn on the CPU, an in-process local save does not), not the service.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from budget import OUTPUT, Budget, median, percentile, report  # noqa: E402

from extramile.store.remote_journal import RemoteJournal  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.hub.hubtools import FACILITATOR, http, wait_until  # noqa: E402
from tests.hub.kernels import run_code  # noqa: E402
from tests.hub.trial_hub import PROXY, trial_hub  # noqa: E402

PARTICIPANTS = 20
ANSWERS = 10
SPAWN_AT_ONCE = 5  # a room logs in over a minute or two, not in the same second

SAVING = textwrap.dedent("""
    import json, os, random, tempfile, time
    from pathlib import Path
    from extramile.participant.answers import AnswerBook
    from extramile.identity.identity import Participant
    from extramile.store.journal import Journal
    from extramile.store.journal_store import open_journal

    from extramile.store.remote_journal import RemoteJournal

    ready = Path(READY)  # the room in session: nobody times a save while others' kernels still start
    try:
        me = Participant(os.environ["JUPYTERHUB_USER"], "Bench")
        journals = {"remote": open_journal(), "floor": RemoteJournal(FLOOR, ""),
                    "local": Journal(tempfile.mkdtemp())}
        books = {name: AnswerBook(journals[name], me) for name in ("remote", "local")}
        for book in books.values():
            book.entries()  # opening a page reads first (the service checks the token with the hub once)
        journals["floor"].append(participant=me.name, team="Warm", kind="exercise", exercise="warm", answer={})
    finally:  # a kernel that failed still lets the others go on, and its error is the verdict
        (ready / os.environ["JUPYTERHUB_USER"]).touch()
    while len(list(ready.iterdir())) < PARTICIPANTS:
        time.sleep(0.05)
    timings = {"remote": [], "floor": [], "local": [], "page_remote": [], "page_local": []}
    pause = random.Random(me.name)
    text = f"{me.name}: " + "I walked them to the shelf. " * 8
    for n in range(ANSWERS):
        time.sleep(pause.uniform(0.1, 0.5))  # typing the next answer; a room's saves do not come in bursts
        for name, journal in journals.items():  # the save itself: confirmed once fsync'ed
            start = time.perf_counter()
            journal.append(participant=me.name, team=me.team, kind="exercise", exercise=f"save-{n}",
                           answer={"text": text})
            timings[name].append(time.perf_counter() - start)
    for n in range(ANSWERS):  # apart, so that the service and its floor see the same stream of saves above
        time.sleep(pause.uniform(0.1, 0.5))
        for name, book in books.items():  # a page's whole Save: re-read, two-tab check, append
            start = time.perf_counter()
            book.save(kind="exercise", exercise=f"page-{n}", answer={"text": text})
            timings["page_" + name].append(time.perf_counter() - start)
    print(json.dumps(timings))
""")



def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line), read from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            found[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), cmdline)
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def memory_per_participant() -> list[float]:
    """MB of resident memory per single-user server together with its kernels."""
    processes = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    sizes = []
    for pid, (_, cmdline) in processes.items():
        if "jupyterhub-singleuser" in cmdline:
            family, stack = [], [pid]
            while stack:
                family.append(stack.pop())
                stack.extend(children.get(family[-1], []))
            sizes.append(sum(_rss_mb(p) for p in family))
    return sizes


@contextmanager
def bare_floor(root: Path) -> Iterator[str]:
    """The bare service floor on a free port of 127.0.0.1; its journal URL, as a kernel would be given it."""
    port = free_port()
    with open(root / "floor.log", "wb") as out:
        process = subprocess.Popen([sys.executable, str(HERE / "bare_save_floor.py"), "--port", str(port),
                                    "--file", str(root / "floor.jsonl")], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/services/floor/"
    try:
        wait_until(lambda: http("POST", url + "api/entries", body={"warm": True}, timeout=2)[0] == 201, 60,
                   "the bare save floor did not answer", root / "floor.log")
        yield url
    finally:
        process.terminate()
        process.wait(10)


def main() -> int:
    if not PROXY.exists():
        print(f"FAIL  hub benchmark: {PROXY} is missing (make hub-proxy)")
        return 1
    OUTPUT.mkdir(exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="bench-hub-", dir=OUTPUT))
    names = [f"p{n:02d}" for n in range(PARTICIPANTS)]
    failures = []
    try:
        with bare_floor(root) as floor, trial_hub(root) as hub:
            def spawn(name):
                start = time.monotonic()
                return hub.start_server(name), time.monotonic() - start

            with ThreadPoolExecutor(SPAWN_AT_ONCE) as pool:
                spawned = list(pool.map(spawn, names))
            ready = root / "ready"
            ready.mkdir()
            code = (SAVING.replace("ANSWERS", str(ANSWERS)).replace("PARTICIPANTS", str(PARTICIPANTS))
                    .replace("READY", repr(str(ready))).replace("FLOOR", repr(floor)))

            def saves(name: str, server_url: str) -> dict | None:
                """One kernel's failure is a verdict to print, not a crash to read."""
                try:
                    return json.loads(run_code(server_url, hub.token_for(name), code))
                except (AssertionError, TimeoutError, ValueError, OSError) as error:
                    failures.append(f"{name}: {type(error).__name__} {error}".strip())

            with ThreadPoolExecutor(PARTICIPANTS) as pool:
                runs = list(pool.map(saves, names, [url for url, _ in spawned]))
            if failures:
                print(f"FAIL  hub benchmark: {len(failures)} of {PARTICIPANTS} kernels did not finish their saves "
                      f"(logs kept in {root}):\n      " + "\n      ".join(failures))
                return 1
            memory = memory_per_participant()
            facilitator = RemoteJournal(hub.journal_url, hub.token_for(FACILITATOR))
            saved = {name: sum(1 for e in facilitator.entries(name) if e["team"] == "Bench") for name in names}
    finally:
        if not failures:
            shutil.rmtree(root, ignore_errors=True)

    expected = 2 * ANSWERS  # a save and a page Save per answer
    lost = sum(expected - saved[name] for name in names)
    remote = [t for run in runs for t in run["remote"]]
    floor = [t for run in runs for t in run["floor"]]
    local = [t for run in runs for t in run["local"]]
    spawn_times = [seconds for _, seconds in spawned]
    page_remote = [t for run in runs for t in run["page_remote"]]
    page_local = [t for run in runs for t in run["page_local"]]
    print(f"       {PARTICIPANTS} participants x {expected} saves: {lost} lost; "
          f"spawn median {median(spawn_times):.1f} s, max {max(spawn_times):.1f} s ({SPAWN_AT_ONCE} at once); "
          f"memory per participant (server + kernel) median {median(memory):.0f} MB, max {max(memory):.0f} MB")
    budgets = [Budget(f"hub save p95 through the journal service ({len(remote)} saves, {PARTICIPANTS} kernels "
                      "at once) vs the bare service floor (append + fsync behind a bare tornado handler) from the "
                      "same kernels", percentile(remote, 0.95), percentile(floor, 0.95), 2.0)]
    print(f"INFO  save p95 through the service vs a local-file save in the same kernels: ratio "
          f"{percentile(remote, 0.95) / percentile(local, 0.95):.2f} (measured {percentile(remote, 0.95):.4g} s vs "
          f"{percentile(local, 0.95):.4g} s; floor {percentile(floor, 0.95):.4g} s; medians: service "
          f"{median(remote):.4g} s, floor {median(floor):.4g} s, local {median(local):.4g} s; no budget)")
    page_p95, page_local_p95 = percentile(page_remote, 0.95), percentile(page_local, 0.95)
    print(f"INFO  page Save p95 (re-read, two-tab check, append) through the service vs on local files: ratio "
          f"{page_p95 / page_local_p95:.2f} (measured {page_p95:.4g} s vs {page_local_p95:.4g} s; no budget)")
    if lost:
        print(f"FAIL  {lost} answers lost")
        return 1
    return report(budgets)


if __name__ == "__main__":
    os.environ.pop("EXTRAMILE_JOURNAL_URL", None)
    sys.exit(main())
