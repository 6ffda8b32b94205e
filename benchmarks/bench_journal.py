"""Journal budgets: append p99 within 1.5x of a bare open/append/fsync/close of the same bytes;
read_all over 1,000 participants x 200 entries within 2x of json.loads per line of the same files."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bare_save_floor import append as bare_append  # noqa: E402
from budget import OUTPUT, Budget, median, percentile, report  # noqa: E402

from extramile.store.journal import Journal  # noqa: E402

APPENDS = 500
ROUNDS = 5
PARTICIPANTS, ENTRIES = 1000, 200


def append_latency() -> Budget:
    """p99 per round, interleaved with the bare append; the median round, so one disk stall cannot decide."""
    directory = Path(tempfile.mkdtemp(prefix="bench-append-", dir=OUTPUT))
    journal = Journal(directory / "journal")
    answer = {"text": "I asked which flavour the child wanted. " * 5}
    sample = journal.append(participant="Zoë", team="Blue", kind="exercise", lesson="notice",
                            exercise="notice-my-45-seconds", answer=answer)
    line = (json.dumps(sample, ensure_ascii=False) + "\n").encode()
    bare_path = directory / "bare.jsonl"
    round_ours, round_bare = [], []
    for _ in range(ROUNDS):
        ours, bare = [], []
        for _ in range(APPENDS):  # interleaved, so both see the same disk weather
            start = time.perf_counter()
            journal.append(participant="Zoë", team="Blue", kind="exercise", lesson="notice",
                           exercise="notice-my-45-seconds", answer=answer)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            bare_append(bare_path, line)
            bare.append(time.perf_counter() - start)
        round_ours.append(percentile(ours, 0.99))
        round_bare.append(percentile(bare, 0.99))
    shutil.rmtree(directory)
    return Budget(f"journal append p99 (median of {ROUNDS} rounds of {APPENDS})", median(round_ours),
                  median(round_bare), 1.5)


def big_journal() -> Path:
    directory = OUTPUT / f"journal-{PARTICIPANTS}x{ENTRIES}"
    if len(list(directory.glob("*.jsonl"))) == PARTICIPANTS:
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    journal = Journal(directory)
    for n in range(PARTICIPANTS):
        name = f"Participant {n} ☕"
        entry = journal.append(participant=name, team=f"Team {n % 40}", kind="profile", answer={"team": "x"})
        lines = []
        for k in range(ENTRIES - 1):
            lines.append(json.dumps({**entry, "id": f"{n}-{k}", "kind": "exercise", "exercise": f"ex-{k % 25}",
                                     "answer": {"text": "A customer asked me… " * 4},
                                     "replaces": f"{n}-{k - 25}" if k >= 25 else None}, ensure_ascii=False))
        with open(journal.path_for(name), "a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    return directory


def plain_parse(directory: Path) -> int:
    count = 0
    for path in sorted(directory.glob("*.jsonl")):
        for raw in path.read_bytes().split(b"\n"):
            if raw:
                json.loads(raw)
                count += 1
    return count


def read_all_time() -> Budget:
    directory = big_journal()
    plain_parse(directory)  # warm the page cache for both
    best_plain = best_ours = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        plain_parse(directory)
        best_plain = min(best_plain, time.perf_counter() - start)
        start = time.perf_counter()
        sum(1 for _ in Journal(directory).read_all())
        best_ours = min(best_ours, time.perf_counter() - start)
    return Budget(f"journal read_all {PARTICIPANTS}x{ENTRIES}", best_ours, best_plain, 2.0)


def main() -> int:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return report([append_latency(), read_all_time()])


if __name__ == "__main__":
    sys.exit(main())
