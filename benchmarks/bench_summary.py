"""Budget check for the facilitator's summary on a year of a thousand people (`make bench`).

1. Loading and aggregating every view stays within 3x of the cheapest possible
   read: the same files parsed with plain json.loads per line, measured in the
   same run as CPU time (a busy machine stretches wall-clock timings unevenly;
   CPU time of one process much less). Each round times the two back to back,
   and the round with the median ratio is reported: a neighbour's burst then
   slows both sides of a round alike, where the best of each side separately
   could pair a quiet baseline with a busy summary.
2. The whole `python -m extramile report` finishes in under 60 s and under
   1 GB peak RSS (measured with resource.getrusage(RUSAGE_CHILDREN)).

The demo journal is generated once and cached under benchmarks/output/
(git-ignored), keyed by its size and a hash of the exercise content.
Prints each measure with its ratio to the budget, PASS or FAIL; exits 1 on any FAIL.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from budget import OUTPUT, Budget, report  # noqa: E402

from extramile import content  # noqa: E402
from extramile.store.journal import Journal  # noqa: E402
from extramile.summary import choices, metrics, weekly_metrics  # noqa: E402
from extramile.summary.demo_data import generate  # noqa: E402
from extramile.summary.journal_frame import load_frame  # noqa: E402

RATIO_BUDGET = 3.0
SECONDS_BUDGET = 60.0
MEMORY_BUDGET_MB = 1024.0


def demo_journal(participants: int, teams: int, weeks: int, seed: int) -> Path:
    """The cached demo journal, regenerated when the size or the exercise content changed."""
    digest = hashlib.sha256()
    for path in sorted(content.EXERCISES_DIR.glob("*.yaml")):
        digest.update(path.name.encode() + path.read_bytes())
    directory = OUTPUT / f"demo-{participants}x{weeks}w-{teams}t-s{seed}-{digest.hexdigest()[:8]}"
    done = directory / ".complete"
    if not done.exists():
        shutil.rmtree(directory, ignore_errors=True)
        started = time.perf_counter()
        print(generate(directory, participants, teams, weeks, seed=seed, progress=True),
              f"in {time.perf_counter() - started:.1f} s")
        done.touch()
    return directory


def parse_only(directory: Path) -> int:
    """The baseline: every line of every journal through json.loads, nothing else."""
    loads = json.loads
    count = 0
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_bytes().split(b"\n"):
            if line:
                loads(line)
                count += 1
    return count


def load_and_aggregate(directory: Path, catalog: content.Catalog) -> int:
    """What the notebook's Refresh and the report do before drawing: read once, derive every view."""
    frame, _ = load_frame(Journal(directory), catalog=catalog)
    metrics.members_signed_in(frame)
    metrics.completion_by_team_lesson(frame, catalog)
    metrics.mindset_before_after(frame)
    choices.scenario_spread(frame, catalog)
    metrics.shared_wall(frame, catalog, per_team=12)
    weekly_metrics.stories_by_team(weekly_metrics.stories_per_week(frame))
    weekly_metrics.habit_heatmap_table(frame, catalog)
    weekly_metrics.commitments_kept(frame)
    weekly_metrics.best_by_team(weekly_metrics.best_over_time(frame))
    return len(frame)


def timed(function, *args) -> float:
    """CPU seconds of this process: other jobs on a shared machine slow the wall clock, not this."""
    started = time.process_time()
    function(*args)
    return time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--teams", type=int, default=125)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)

    directory = demo_journal(args.participants, args.teams, args.weeks, args.seed)
    catalog = content.Catalog.from_content()
    lines = parse_only(directory)  # warm the page cache and the imports before timing
    rows = load_and_aggregate(directory, catalog)
    rounds = sorted(((timed(load_and_aggregate, directory, catalog), timed(parse_only, directory))
                     for _ in range(args.rounds)), key=lambda pair: pair[0] / pair[1])
    summary_time, baseline = rounds[len(rounds) // 2]
    print(f"journal: {args.participants} participants x {args.weeks} weeks, {args.teams} teams: "
          f"{lines:,} lines, {rows:,} current entries")
    load = Budget(f"load_frame + every view vs json.loads per line (median of {args.rounds} rounds)",
                  summary_time, baseline, RATIO_BUDGET,
                  "s CPU")

    out = OUTPUT / "report.html"
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "extramile", "report", "--journal", str(directory),
                             "--out", str(out)], check=False, cwd=ROOT)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    if result.returncode:
        print(f"FAIL  python -m extramile report exited with {result.returncode}")
        return 1
    print(f"report: {out.stat().st_size / 1e6:.1f} MB of HTML at {out.relative_to(ROOT)}")
    return report([
        load,
        Budget("report wall time vs the 60 s budget", seconds, SECONDS_BUDGET, 1.0),
        Budget("report peak RSS vs the 1 GB budget", peak_mb, MEMORY_BUDGET_MB, 1.0, "MB"),
    ])


if __name__ == "__main__":
    sys.exit(main())
