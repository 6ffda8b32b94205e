"""How every benchmark reports: a ratio against a baseline measured in the same run, and its budget.

Bare timings differ from machine to machine; a ratio against the plain way of
doing the same work on the same machine, in the same run, does not.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "output"


@dataclass
class Budget:
    name: str
    measured: float
    baseline: float
    limit: float
    unit: str = "s"

    @property
    def ratio(self) -> float:
        return self.measured / self.baseline

    @property
    def ok(self) -> bool:
        return self.ratio <= self.limit

    def line(self) -> str:
        verdict = "PASS" if self.ok else "FAIL"
        return (f"{verdict}  {self.name}: ratio {self.ratio:.2f} (budget {self.limit:.2f}x; "
                f"measured {self.measured:.4g} {self.unit} vs baseline {self.baseline:.4g} {self.unit})")


@dataclass
class Goal:
    """A budget with no same-run baseline to divide by (everyone saved, none lost, a ceiling): met or not."""

    name: str
    ok: bool
    measured: str

    def line(self) -> str:
        return f"{'PASS' if self.ok else 'FAIL'}  {self.name}: {self.measured}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def report(budgets: list[Budget | Goal]) -> int:
    """Print one line per budget; the exit code says whether all held."""
    for budget in budgets:
        print(budget.line(), flush=True)
    return 0 if all(b.ok for b in budgets) else 1
