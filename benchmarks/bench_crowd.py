"""A crowd on one laptop, without browsers: N participants speaking the app's own protocol (benchmarks/crowd.py).

    .venv/bin/python benchmarks/bench_crowd.py --participants 200 --window 30

runs one crowd against a fresh server and journal of its own and prints, last:

    crowd: N=<n> saved=<confirmed>/<expected> lost=<n> signin_p95=<s>s save_p95=<s>s
           cpu_per_participant=<s>s rss_per_participant=<MiB>MiB peak_rss=<MiB>MiB   (one line)

CPU is the server's process tree's, from the first arrival until the last
participant is done; memory per participant is the tree's RSS with every
page still open (a few seconds after the last save) minus the idle server's;
peak is the tree's largest RSS sampled during the run. `lost` counts
confirmations missing from their owner's journal plus entries found in a
journal whose owner never saved them, read back from every journal file.

Without arguments (`make bench`):

- honesty: 20 participants with the browser room's journey (all at once, sign
  in, open the first lesson, save one answer), once with Chromium
  (benchmarks/bench_room.py) and once as this crowd, in the same run: server
  CPU and memory per participant within 1.5x of each other, either way;
- 200 arriving in 30 s, served by two app processes behind HAProxy
  (`serve --workers 2`, one per core): everyone signed in, every save
  confirmed, none lost, sign-in p95 under 10 s, and the least busy process
  doing at least 30% of the work; then the same crowd served by one
  process, same run: two must sign people in no slower (p95) and cost at
  most 1.5x the CPU per participant;
- 500 arriving in 60 s, two processes: every save confirmed, none lost, peak
  RSS (proxy and both processes) under 1.5 GiB, the work spread as above.

`--workers N` serves a single crowd (`--participants`) by N processes.

The crowd runs in this one process on the same two cores as the server (its
own CPU is printed beside the server's). Every participant comes from
127.0.0.1, so the server's per-address caps are lifted, as for the room
benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from budget import OUTPUT, Budget, Goal, median, percentile, report  # noqa: E402
from server_usage import PeakMemory, app_process_cpu_seconds, tree_cpu_seconds, tree_rss_mib  # noqa: E402

from benchmarks import crowd  # noqa: E402
from tests.conftest import AppServer, start_app  # noqa: E402

ONE_ADDRESS = {"EXTRAMILE_TABS_PER_ADDRESS": "100000", "EXTRAMILE_PAGE_LOADS_PER_MINUTE": "100000"}
SETTLE_SECONDS = 8  # as the room benchmark: every page open, the crowd has stopped clicking
STEP_TIMEOUT = 300
HONEST_WITHIN = 1.5
GOALS = ((200, 30.0), (500, 60.0))
WORKERS = 2  # app processes for the crowds of the goals: one per core of the laptop the goals are set for
SPREAD_GOAL = 0.3
SIGNIN_P95_GOAL = 10.0
PEAK_RSS_GOAL_MIB = 1.5 * 1024


@dataclass
class CrowdRun:
    participants: int
    window: float
    outcomes: list[crowd.Outcome] = field(default_factory=list)
    lost: int = 0
    lost_examples: list[str] = field(default_factory=list)
    cpu: float = 0.0
    memory: float = 0.0
    idle_mib: float = 0.0
    peak_mib: float = 0.0
    client_cpu: float = 0.0
    workers: int = 1
    process_cpu: list[float] = field(default_factory=list)  # each app process's share of the work (--workers)

    @property
    def smallest_share(self) -> float:
        """The least busy app process's part of the app processes' CPU (1.0 for a single process)."""
        total = sum(self.process_cpu)
        return min(self.process_cpu) / total if total and len(self.process_cpu) > 1 else 1.0

    @property
    def expected(self) -> int:
        return sum(o.plan.leave_after or o.plan.saves for o in self.outcomes)

    @property
    def confirmed(self) -> int:
        return sum(len(o.confirmed) for o in self.outcomes)

    @property
    def signed_in(self) -> int:
        return sum(o.signed_in for o in self.outcomes)

    def seconds(self, what: str) -> list[float]:
        values = []
        for outcome in self.outcomes:
            value = getattr(outcome, what)
            values += value if isinstance(value, list) else [] if value is None else [value]
        return values or [float("nan")]

    def spread(self, what: str) -> str:
        values = self.seconds(what)
        return f"{median(values):.2f} / {percentile(values, 0.95):.2f} s"

    def row(self) -> str:
        """One row of the crowd table (README, issue 24)."""
        shares = " + ".join(f"{seconds / max(sum(self.process_cpu), 1e-9):.0%}" for seconds in self.process_cpu)
        return (f"| {self.participants} in {self.window:g} s | {self.workers}{f' ({shares})' if shares else ''} "
                f"| {self.signed_in} | {self.confirmed}/{self.expected} "
                f"| {self.lost} | {self.spread('open_seconds')} | {self.spread('signin_seconds')} "
                f"| {self.spread('lesson_seconds')} | {percentile(self.seconds('save_seconds'), 0.95):.2f} s "
                f"| {self.idle_mib:.0f} -> {self.peak_mib:.0f} MiB | {self.memory / self.participants:.2f} MiB "
                f"| {self.cpu / self.participants:.3f} s | {self.client_cpu:.0f} s |")

    def failures(self) -> list[str]:
        reasons = Counter(o.failure[:150] for o in self.outcomes if o.failure)
        kept = [o for o in self.outcomes if o.reload_kept is False]
        return ([f"   {count} x {reason}" for reason, count in reasons.most_common(6)]
                + ([f"   {len(kept)} reloads did not show the participant signed in with their answers"]
                   if kept else [])
                + [f"   lost: {example}" for example in self.lost_examples[:5]])

    def last_line(self) -> str:
        return (f"crowd: N={self.participants} saved={self.confirmed}/{self.expected} lost={self.lost} "
                f"signin_p95={percentile(self.seconds('signin_seconds'), 0.95):.2f}s "
                f"save_p95={percentile(self.seconds('save_seconds'), 0.95):.2f}s "
                f"cpu_per_participant={self.cpu / self.participants:.3f}s "
                f"rss_per_participant={self.memory / self.participants:.2f}MiB peak_rss={self.peak_mib:.0f}MiB")


TABLE_HEAD = ("| arrivals | app processes (share of CPU) | signed in | saves confirmed | lost | open p50 / p95 "
              "| sign-in p50 / p95 | lesson p50 / p95 | save p95 | server RSS | RSS per participant "
              "| CPU per participant | crowd's own CPU |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|")


@contextmanager
def profiled(pid: int, output: Path | None) -> Iterator[None]:
    """py-spy sampling the server's threads while the crowd runs (its raw, collapsed stacks to `output`)."""
    if output is None:
        yield
        return
    spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "--threads",
                            "--rate", "10", "--format", "raw", "--nonblocking", "--output", str(output)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(60)


async def measure(server: AppServer, plans: list[crowd.Plan], window: float, profile: Path | None = None,
                  workers: int = 1) -> CrowdRun:
    run = CrowdRun(len(plans), window, workers=workers)
    warm = await crowd.run(server.base_url, [crowd.Plan(len(plans), 0, saves=1, think=(0, 0), reading=(0, 0))],
                           STEP_TIMEOUT)
    await asyncio.sleep(2)
    pid = server.process.pid
    run.idle_mib, cpu_before, client_before = tree_rss_mib(pid), tree_cpu_seconds(pid), time.process_time()
    processes_before = app_process_cpu_seconds(pid)
    try:
        with PeakMemory(pid) as peak, profiled(pid, profile):
            run.outcomes = await crowd.run(server.base_url, plans, STEP_TIMEOUT)
            run.cpu = tree_cpu_seconds(pid) - cpu_before
            run.process_cpu = [seconds - processes_before.get(child, 0.0)
                               for child, seconds in app_process_cpu_seconds(pid).items()]
            run.client_cpu = time.process_time() - client_before
            await asyncio.sleep(SETTLE_SECONDS)
            run.memory = tree_rss_mib(pid) - run.idle_mib
        run.peak_mib = peak.peak_mib
    finally:
        await crowd.leave_all(warm + run.outcomes)
    check = crowd.check_journals(server.journal_dir, warm + run.outcomes)
    run.lost, run.lost_examples = check.lost, check.missing + check.misplaced + check.damaged
    return run


def run_crowd(plans: list[crowd.Plan], window: float, label: str, profile: Path | None = None,
              workers: int = 1) -> CrowdRun:
    """One crowd against a fresh server (of `workers` processes behind HAProxy) and a journal of its own."""
    with tempfile.TemporaryDirectory(prefix="bench-crowd-") as tmp:
        server = start_app(Path(tmp), *(["--workers", str(workers)] if workers > 1 else []), env=ONE_ADDRESS)
        try:
            run = asyncio.run(measure(server, plans, window, profile, workers))
        finally:
            server.stop()
            OUTPUT.mkdir(exist_ok=True)
            (OUTPUT / f"bench_crowd-{label}.log").write_text("".join(server.output), encoding="utf-8")
    print(TABLE_HEAD, run.row(), *run.failures(), sep="\n", flush=True)
    return run


def room_journey(size: int) -> list[crowd.Plan]:
    """The browser room benchmark's participant: all at once, sign in, open the first lesson, save one answer."""
    return [crowd.Plan(number, 0, saves=1, think=(0, 0), reading=(0, 0)) for number in range(size)]


def honesty(size: int = 20) -> list[Budget]:
    """The crowd against real browsers doing the same, same run: server CPU and memory per participant."""
    import bench_room
    from playwright.async_api import async_playwright

    async def browsers() -> bench_room.Room:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=bench_room.CHROMIUM, headless=True,
                                                       args=bench_room.CHROMIUM_ARGS)
            try:
                return await bench_room.run_room(browser, bench_room.new_design(), size)
            finally:
                await browser.close()

    room = asyncio.run(browsers())
    simulated = run_crowd(room_journey(size), 0, f"room-{size}")
    cpu = (simulated.cpu / size, room.cpu / size)
    memory = (max(simulated.memory, 0.01) / size, max(room.memory, 0.01) / size)
    return [
        Budget(f"crowd vs browsers, {size} at once: server CPU per participant", *cpu, HONEST_WITHIN),
        Budget(f"browsers vs crowd, {size} at once: server CPU per participant", *reversed(cpu), HONEST_WITHIN),
        Budget(f"crowd vs browsers, {size} at once: server memory per participant", *memory, HONEST_WITHIN, "MiB"),
        Budget(f"browsers vs crowd, {size} at once: server memory per participant", *reversed(memory),
               HONEST_WITHIN, "MiB"),
    ]


def goals(run: CrowdRun) -> list[Goal]:
    arrivals = f"{run.participants} arriving in {run.window:g} s"
    found = [Goal(f"{arrivals}: every save confirmed", run.confirmed == run.expected,
                  f"{run.confirmed}/{run.expected}"),
             Goal(f"{arrivals}: none lost", run.lost == 0, f"lost {run.lost}"),
             Goal(f"{arrivals}: the work spread over {run.workers} processes (the least busy does at least "
                  f"{SPREAD_GOAL:.0%} of it)", run.smallest_share >= SPREAD_GOAL, f"{run.smallest_share:.0%}")]
    if run.participants <= 200:
        signin_p95 = percentile(run.seconds("signin_seconds"), 0.95)
        found += [Goal(f"{arrivals}: everyone signed in", run.signed_in == run.participants,
                       f"{run.signed_in}/{run.participants}"),
                  Goal(f"{arrivals}: sign-in p95 under {SIGNIN_P95_GOAL:g} s", signin_p95 < SIGNIN_P95_GOAL,
                       f"{signin_p95:.2f} s")]
    else:
        found.append(Goal(f"{arrivals}: peak server RSS under {PEAK_RSS_GOAL_MIB:.0f} MiB",
                          run.peak_mib < PEAK_RSS_GOAL_MIB, f"{run.peak_mib:.0f} MiB"))
    return found


def against_one_process(spread: CrowdRun, one: CrowdRun) -> list[Budget]:
    """The same crowd served by one process, same run: what the processes behind HAProxy buy (reported)."""
    arrivals = f"{spread.participants} arriving in {spread.window:g} s"
    signin = (percentile(spread.seconds("signin_seconds"), 0.95), percentile(one.seconds("signin_seconds"), 0.95))
    return [Budget(f"{arrivals}: sign-in p95, {spread.workers} processes vs one", *signin, 1.0, "s"),
            Budget(f"{arrivals}: server CPU per participant, {spread.workers} processes vs one",
                   spread.cpu / spread.participants, one.cpu / one.participants, 1.5)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, help="one crowd of this many (default: the make bench set)")
    parser.add_argument("--window", type=float, default=60, help="seconds over which they arrive (default 60)")
    parser.add_argument("--pace", type=float, default=1.0, help="multiplies reading and thinking times (default 1)")
    parser.add_argument("--seed", type=int, default=24, help="arrival times and who reloads or leaves early")
    parser.add_argument("--profile", type=Path, help="sample the server with py-spy into this file (collapsed stacks)")
    parser.add_argument("--workers", type=int, default=1, help="app processes behind HAProxy (default 1)")
    args = parser.parse_args()
    if args.participants:
        run = run_crowd(crowd.plans(args.participants, args.window, args.seed, pace=args.pace), args.window,
                        f"{args.participants}-in-{args.window:g}", args.profile, args.workers)
        print(run.last_line(), flush=True)
        return 0 if run.confirmed == run.expected and run.lost == 0 else 1
    checks: list[Budget | Goal] = honesty()
    lines = []
    for participants, window in GOALS:
        plans = crowd.plans(participants, window, args.seed)
        run = run_crowd(plans, window, f"{participants}-in-{window:g}", workers=WORKERS)
        checks += goals(run)
        if participants == GOALS[0][0]:
            checks += against_one_process(run, run_crowd(plans, window, f"{participants}-in-{window:g}-one"))
        lines.append(run.last_line())
    status = report(checks)
    print(*lines, sep="\n", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
