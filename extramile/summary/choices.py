"""The room's choices as shares: a scenario's responses (first instinct and second vote), a check-in's points.

The report, the summary and the projector draw these from the journal frame
(extramile.summary.journal_frame) under extramile.summary.disclosure's rules: a share pools
only the teams where enough people answered, needs enough answers in all,
and the shares of one question add up to 100% in steps of 10%. Counts of who
answered, per team, are always there, so a view can say why a figure waits.

A scenario counts each person's first instinct (the first choice they saved,
before any feedback), and, once the facilitator opened a second vote, the
choice they saved in it: side by side, the room sees who moved, as shares.

Pandas only: no widgets, no HTML, no charts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from extramile.content import Catalog, ExerciseInfo
from extramile.summary import disclosure
from extramile.summary.metrics import EVERYTHING, Window, select, team_order

POINTS = tuple(range(1, 11))
MOMENTS = ("before", "after")


@dataclass(frozen=True)
class Spread:
    """One question's shares for the room (None while they wait) and how many answered in each team."""

    shares: list[float] | None
    answered: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.answered.values())

    def why_waiting(self) -> str:
        return disclosure.why_waiting(self.answered)


@dataclass(frozen=True)
class Votes:
    """A scenario on the projector: the first instincts, the second vote, and the share who changed their mind."""

    first: Spread
    second: Spread
    moved: float | None


def since(frame: pd.DataFrame, moment: str | None) -> pd.DataFrame:
    """The rows saved at or after `moment` (a journal timestamp, the exercise's last Reset); all without one."""
    if not moment:
        return frame
    start = pd.Timestamp(moment.replace("Z", "+00:00"))
    return frame[(frame["at"] >= start).to_numpy()]


def spread(rows: pd.DataFrame, column: str, values: tuple) -> Spread:
    """Shares of `values` in one column of rows that hold one answer per person."""
    rows = rows[rows[column].notna()]
    per_team = rows.groupby("team").size().to_dict()
    counts = rows.groupby(["team", column]).size().to_dict()
    shares = disclosure.pooled_shares({team: ([counts.get((team, value), 0) for value in values], n)
                                       for team, n in per_team.items()})
    return Spread(shares, {team: int(per_team[team]) for team in sorted(per_team, key=team_order)})


def _answers(frame: pd.DataFrame, exercise: str) -> pd.DataFrame:
    """One row per person for a lesson exercise: their newest answer."""
    rows = frame.loc[(frame["item"] == "lesson") & (frame["exercise"] == exercise).to_numpy()]
    return rows.sort_values("at", kind="stable").drop_duplicates("participant", keep="last")


def _places(info: ExerciseInfo) -> tuple[float, ...]:
    """A scenario's options as the frame counts them: by place."""
    return tuple(float(index) for index in range(len(info.options)))


def scenario_votes(frame: pd.DataFrame, info: ExerciseInfo, moment: str | None = None) -> Votes:
    rows = since(_answers(frame, info.id), moment)
    options = _places(info)
    voted_twice = rows[rows["second_choice"].notna() & rows["first_choice"].notna()]
    changed = voted_twice.assign(moved=voted_twice["first_choice"] != voted_twice["second_choice"])
    moved = disclosure.pooled_share({team: (int(group["moved"].sum()), len(group))
                                     for team, group in changed.groupby("team")})
    return Votes(spread(rows, "first_choice", options), spread(rows, "second_choice", options), moved)


def scale_spreads(frame: pd.DataFrame, measure: str, moment: str | None = None, *,
                  window: Window = EVERYTHING) -> dict[str, Spread]:
    """The points of a 1-10 check-in before and after the session, each person's newest answer."""
    rows = since(select(frame, window), moment)
    wanted = ((rows["item"] == "lesson") & (rows["measure"] == measure) & rows["moment"].isin(MOMENTS)
              & rows["value"].notna())
    rows = rows.loc[wanted, ["participant", "team", "at", "moment", "value"]]
    rows = rows.sort_values("at", kind="stable").drop_duplicates(["participant", "moment"], keep="last")
    rows = rows.assign(point=rows["value"].round().astype(int))
    return {when: spread(rows[rows["moment"] == when], "point", POINTS) for when in MOMENTS}


def answered_per_team(frame: pd.DataFrame, exercise: str, moment: str | None = None) -> dict[str, int]:
    """How many people in each team answered an exercise (counts: always shown), in team order."""
    per_team = since(_answers(frame, exercise), moment).groupby("team").size().to_dict()
    return {team: int(per_team[team]) for team in sorted(per_team, key=team_order)}


def scenario_spread(frame: pd.DataFrame, catalog: Catalog, *, window: Window = EVERYTHING) -> pd.DataFrame:
    """For each scenario, the share of people whose first instinct was each response.

    `respondents` counts everyone who answered; the shares pool only teams
    in which enough people answered (see extramile.summary.disclosure), so a
    report filtered to one team cannot be subtracted from the room's.
    """
    rows = select(frame, window)
    lessons = rows[(rows["item"] == "lesson").to_numpy()]  # once, not per scenario: a year holds ten times more
    records = []
    for info in catalog.exercises.values():
        if info.kind != "scenario":
            continue
        first = spread(_answers(lessons, info.id), "first_choice", _places(info))
        for index, option in enumerate(info.options):
            share = np.nan if first.shares is None else first.shares[index]
            records.append({"exercise": info.id, "notebook": info.notebook, "title": info.title,
                            "option": index, "option_text": option, "share": share,
                            "respondents": first.total, "counts_only": first.shares is None})
    return pd.DataFrame(records, columns=["exercise", "notebook", "title", "option", "option_text", "share",
                                          "respondents", "counts_only"])


def scale_distribution(frame: pd.DataFrame, measure: str, *, window: Window = EVERYTHING) -> pd.DataFrame:
    """The share of the room that chose each point of a 1-10 check-in, before and after, as a table."""
    records = []
    for when, found in scale_spreads(frame, measure, window=window).items():
        for index, point in enumerate(POINTS):
            records.append({"moment": when, "value": point,
                            "share": np.nan if found.shares is None else found.shares[index],
                            "respondents": found.total, "counts_only": found.shares is None})
    return pd.DataFrame(records, columns=["moment", "value", "share", "respondents", "counts_only"])
