"""`make bench`: run every benchmarks/bench_*.py in its own process and sum up the verdicts.

Each script prints its budgets as ratios against a baseline measured in the
same run; a separate process per script keeps one benchmark's memory and
warm caches out of the next one's numbers.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n== {script.name}", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, str(script)])
        print(f"   ({time.monotonic() - started:.0f} s, exit {code})", flush=True)
        if code:
            failed.append(script.name)
    print("\nAll budgets held." if not failed else f"\nOver budget or failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
