"""When a figure about a group of people may be shown, and how precisely: the privacy rule in one place.

A figure is a mean (of a 1-10 scale), or a share (of a scenario's choices, of
habit check-ins, of commitments kept). Every view that shows one (the
summary tables, the HTML report, the charts, a live facilitator console)
asks the functions here, so the rule cannot drift between them:

- A group's figure needs MIN_ANSWERS people who answered that very
  question. The rule is about answers, not members: a team of eight where
  two answered shows the count only.
- A figure across groups (the room, "All teams", a chart's overall line) is
  pooled only from groups whose own figure is shown, and needs
  MIN_POOLED_ANSWERS. Otherwise "all teams" minus the teams shown would
  give back the hidden answers exactly.
- Means are shown as whole numbers and shares in steps of SHARE_STEP; the
  shares of one question's answers (a scenario's options, a scale's points)
  add up to 100% (largest remainder: each share is its exact value rounded
  down or up to a step, never further). With
  three answers a mean to one decimal lets two of the three subtract their
  own scores and read the third's; a whole number leaves several possible
  values. Likewise, two reports a day apart that differ by one late answer
  no longer give that answer back exactly. Rounding blurs rather than hides:
  a mean of 10 still says everyone answered 10, and someone who knows all
  the other answers can still narrow one down.

Everything takes plain numbers, so a caller with a dict of {team: (total, n)}
needs no pandas; the summary's pandas views call the same functions:

    teams = {"Blue": (17, 3), "Green": (24, 3), "Red": (9, 2)}   # sum of answers, people
    {team: shown_mean(*tally) for team, tally in teams.items()}  # Blue 6.0, Green 8.0, Red None
    pooled_mean(teams)                                           # 7.0: Blue and Green only
    pooled_share({"Blue": (2, 3), "Green": (1, 3)})              # 0.5: chose it, out of
    pooled_shares({"Blue": ([1, 2, 0], 3), "Green": ([2, 1, 0], 3)})  # [0.5, 0.5, 0.0]: every option
    why_waiting({"Blue": 4, "Green": 2})  # "A figure shows once 3 people in a team have answered, ..."
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from typing import NamedTuple

MIN_ANSWERS = 3
MIN_POOLED_ANSWERS = 5
SHARE_STEPS = 10  # shares in tenths: 0%, 10%, ..., 100%
SHARE_STEP = 1 / SHARE_STEPS


class Tally(NamedTuple):
    """What one group's figure is made of: `total` (a sum for a mean, a count for a share) over `n` people."""

    total: float
    n: int


def may_show(n: int, *, pooled: bool = False) -> bool:
    """Whether a figure over `n` people's answers may be shown (pooled: across groups)."""
    return n >= (MIN_POOLED_ANSWERS if pooled else MIN_ANSWERS)


def shown_mean(total: float, n: int, *, pooled: bool = False) -> float | None:
    """The mean as it may be shown (a whole number, halves rounded up), or None when too few answered."""
    if not may_show(n, pooled=pooled):
        return None
    return float(math.floor(total / n + 0.5))


def shown_share(count: int, n: int, *, answers: int | None = None, pooled: bool = False) -> float | None:
    """count/n rounded to the nearest SHARE_STEP (halves up), or None when too few answered.

    `n` is what the share is out of; `answers` is how many people gave those
    answers, when that differs (habit check-ins: several a person).
    """
    if not may_show(n if answers is None else answers, pooled=pooled) or n <= 0:
        return None
    steps = (2 * SHARE_STEPS * int(count) + int(n)) // (2 * int(n))  # exact integer rounding
    return steps / SHARE_STEPS


def change(before: float | None, after: float | None) -> float | None:
    """After minus before, from the shown figures only, so it reveals nothing they do not."""
    return None if before is None or after is None else after - before


def shown_groups(groups: Mapping[Hashable, Tally | tuple]) -> dict[Hashable, Tally]:
    """The groups whose own figure may be shown: the only ones a pooled figure may draw on."""
    tallies = {key: Tally(*tally) for key, tally in groups.items()}
    return {key: tally for key, tally in tallies.items() if may_show(tally.n)}


def pooled(groups: Mapping[Hashable, Tally | tuple]) -> Tally:
    """The groups' totals added up, leaving out every group whose own figure is withheld."""
    usable = shown_groups(groups).values()
    return Tally(sum(t.total for t in usable), sum(t.n for t in usable))


def pooled_mean(groups: Mapping[Hashable, Tally | tuple]) -> float | None:
    """The mean across groups, e.g. {"Blue": (25, 4), "Red": (9, 2)} -> Blue's only, if enough answered."""
    total, n = pooled(groups)
    return shown_mean(total, n, pooled=True)


def pooled_share(groups: Mapping[Hashable, tuple]) -> float | None:
    """A share across groups from {group: (count, out_of)} or {group: (count, out_of, people)}.

    `people` (how many answered; `out_of` when left out) decides whether a
    group's own share is shown, and so whether it may be pooled.
    """
    parts = [(count, out_of, rest[0] if rest else out_of) for count, out_of, *rest in groups.values()]
    usable = [part for part in parts if may_show(part[2])]
    return shown_share(sum(p[0] for p in usable), sum(p[1] for p in usable),
                       answers=sum(p[2] for p in usable), pooled=True)


def shown_shares(counts: Sequence[int], n: int, *, answers: int | None = None,
                 pooled: bool = False) -> list[float] | None:
    """Every option's share of `n` answers, in steps that add up (largest remainder), or None when too few answered.

    Each share is its exact value rounded down to a step, and the steps left
    over go to the largest remainders (ties: the larger count, then the first
    option), so seven answers split 1, 3, 2, 1 show as 20%, 40%, 30%, 10%,
    not 10+40+30+10 = 90%. No share is ever more than one step from its exact value.
    """
    if not may_show(n if answers is None else answers, pooled=pooled) or n <= 0:
        return None
    counts = [int(count) for count in counts]
    exact = [SHARE_STEPS * count for count in counts]  # in steps, times n
    steps = [value // n for value in exact]
    target = (2 * SHARE_STEPS * sum(counts) + n) // (2 * n)  # all steps when every answer is among the counts
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] % n), -counts[i], i))
    for index in order[:max(0, target - sum(steps))]:
        steps[index] += 1
    return [step / SHARE_STEPS for step in steps]


def pooled_shares(groups: Mapping[Hashable, tuple]) -> list[float] | None:
    """Shares of every option across groups, from {group: (counts per option, out_of)} or (..., people).

    Only groups whose own figure may be shown are pooled, as for pooled_share.
    """
    parts = [(counts, out_of, rest[0] if rest else out_of) for counts, out_of, *rest in groups.values()]
    usable = [part for part in parts if may_show(part[2])]
    if not usable:
        return None
    totals = [sum(column) for column in zip(*(part[0] for part in usable))]
    return shown_shares(totals, sum(part[1] for part in usable), answers=sum(part[2] for part in usable),
                        pooled=True)


def why_waiting(answered: Mapping[str, int]) -> str:
    """The room's sentence for a figure that is not shown yet, with each team's count, in the order given."""
    rule = (f"A figure shows once {MIN_ANSWERS} people in a team have answered, "
            f"and {MIN_POOLED_ANSWERS} across such teams")
    so_far = ", ".join(f"{team} {n}" for team, n in answered.items() if n)
    return f"{rule}: {so_far} so far." if so_far else f"{rule}. No answers yet."
