"""The facilitator's figures over the weeks after the workshop: stories, habits, commitments, "doing my best".

Computed from the journal frame (extramile.summary.journal_frame) by the same rules
as the day's figures (extramile.summary.metrics): a share or mean shows only where
enough people answered (extramile.summary.disclosure), the room pools only the teams
whose own figure shows, and counts are always shown. Pandas only: no
widgets, no HTML, no charts.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from extramile.content import Catalog, weeks
from extramile.summary import disclosure
from extramile.summary.metrics import (
    ALL_TEAMS,
    EVERYTHING,
    Window,
    latest_per,
    select,
    tallies_by,
    teams_in,
    teams_table,
)


def week_label(day: date | pd.Timestamp) -> str:
    """'2026-W48' for any day of that week."""
    return weeks.week_of(pd.Timestamp(day).date())


def _week_labels(days: pd.Series) -> pd.Series:
    return days.map({day: week_label(day) for day in days.unique()})


def stories_per_week(frame: pd.DataFrame, *, window: Window = EVERYTHING) -> pd.DataFrame:
    """Per team and ISO week: how many members wrote their extra-mile story (0 for a missed week)."""
    columns = ["team", "week", "week_label", "stories", "members", "share"]
    rows = select(frame, window)
    rows = rows.loc[(rows["item"] == "story") & rows["date"].notna(), ["team", "date", "participant"]]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    table = teams_table(frame, window.teams)
    counts = rows.groupby(["team", "date"])["participant"].nunique()
    weeks = pd.date_range(rows["date"].min(), rows["date"].max(), freq="7D")
    grid = pd.MultiIndex.from_product([table["team"], weeks], names=["team", "date"])
    out = counts.reindex(grid, fill_value=0).rename("stories").reset_index().rename(columns={"date": "week"})
    out["week_label"] = _week_labels(out["week"])
    out["members"] = out["team"].map(table.set_index("team")["members"]).astype(int)
    out["share"] = out["stories"] / out["members"]
    return out[columns]


def stories_by_team(weekly: pd.DataFrame) -> pd.DataFrame:
    """Totals of stories_per_week, for a table beside the chart."""
    columns = ["team", "members", "stories", "weeks", "weeks_with_story"]
    if weekly.empty:
        return pd.DataFrame(columns=columns)
    grouped = weekly.assign(wrote=weekly["stories"] > 0).groupby("team", sort=False)
    return grouped.agg(members=("members", "first"), stories=("stories", "sum"), weeks=("stories", "size"),
                       weeks_with_story=("wrote", "sum")).reset_index()[columns]


def habit_heatmap_table(frame: pd.DataFrame, catalog: Catalog, *, window: Window = EVERYTHING) -> pd.DataFrame:
    """Per team and habit: the share of weekly habit check-ins in which it was practiced.

    A count habit is practiced when its count is above zero, a tick habit when
    ticked. A share needs enough different people checking in on that habit
    (extramile.summary.disclosure); `checkins` and `participants` are always shown; `tracked`: the team has the habit.
    """
    columns = ["team", "habit", "label", "checkins", "participants", "share", "counts_only", "tracked"]
    table = teams_table(frame, window.teams).set_index("team")
    rows = select(frame, window)
    habit_columns = [f"habit:{h.id}" for h in catalog.habits]
    rows = rows.loc[rows["item"] == "habits", ["team", "participant", *habit_columns]]
    if not habit_columns or table.empty:
        return pd.DataFrame(columns=columns)
    people = rows.groupby("team")["participant"].agg(["size", "nunique"]).reindex(table.index, fill_value=0)
    answered = rows[habit_columns].notna()
    practised = (rows[habit_columns] > 0) & answered
    counts = practised.groupby(rows["team"]).sum().reindex(table.index, fill_value=0)
    out_of = answered.groupby(rows["team"]).sum().reindex(table.index, fill_value=0)
    answerers = answered.groupby([rows["team"], rows["participant"]]).any().groupby(level=0).sum()
    answerers = answerers.reindex(table.index, fill_value=0)
    counts, out_of, answerers = (tally[habit_columns].to_numpy(dtype=int) for tally in (counts, out_of, answerers))
    records = []
    for row, (team, checkins, participants) in enumerate(zip(table.index, people["size"].tolist(),
                                                             people["nunique"].tolist())):
        for col, habit in enumerate(catalog.habits):
            share = disclosure.shown_share(counts[row, col], out_of[row, col], answers=answerers[row, col])
            records.append({"team": team, "habit": habit.id, "label": habit.label, "checkins": checkins,
                            "participants": participants, "share": np.nan if share is None else share, "counts_only":
                            not disclosure.may_show(participants), "tracked": catalog.tracks(team, habit.id)})
    return pd.DataFrame(records, columns=columns)


def commitments_kept(frame: pd.DataFrame, *, window: Window = EVERYTHING) -> pd.DataFrame:
    """Per team and for the room: commitments made, reviewed, and how the latest review went.

    The shares are of reviewed commitments (kept, partly, not yet), shown when
    enough people reviewed (extramile.summary.disclosure); the room pools only the
    teams whose own shares are shown. Made and reviewed are counts, always shown.
    """
    table = teams_table(frame, window.teams)
    rows = select(frame, window)
    made = rows.loc[(rows["kind"] == "commitment") & rows["item"].isin(["lesson", "plan"]), ["team"]]
    reviews = rows.loc[(rows["item"] == "review") & rows["status"].notna(),
                       ["participant", "team", "at", "week", "status", "commitment"]]
    keys = reviews["commitment"].fillna(reviews["participant"] + "|" + reviews["week"].fillna(""))
    reviews = latest_per(reviews.assign(key=keys), ["participant", "key"])
    made_by = made.groupby("team").size().to_dict()
    statuses = reviews.groupby(["team", "status"]).size().to_dict()
    reviewed = reviews.groupby("team").size().to_dict()
    reviewers = reviews.groupby("team")["participant"].nunique().to_dict()
    names = list(table["team"])
    room = {"scope": "room", "team": ALL_TEAMS, "made": int(len(made)), "reviewed": int(len(reviews))}
    counts = {team: [statuses.get((team, status), 0) for status in weeks.REVIEW_STATUSES] for team in names}
    room_shares = disclosure.pooled_shares({team: (counts[team], reviewed.get(team, 0), reviewers.get(team, 0))
                                            for team in names})
    room.update(_status_shares(room_shares))
    records = [room]
    for team in names:
        record = {"scope": "team", "team": team, "made": int(made_by.get(team, 0)),
                  "reviewed": int(reviewed.get(team, 0))}
        record.update(_status_shares(disclosure.shown_shares(counts[team], reviewed.get(team, 0),
                                                             answers=reviewers.get(team, 0))))
        records.append(record)
    for record in records:
        record["counts_only"] = record["share_kept"] is None
    out = pd.DataFrame(records, columns=["scope", "team", "made", "reviewed", "share_kept", "share_partly",
                                         "share_not_yet", "counts_only"])
    shares = ["share_kept", "share_partly", "share_not_yet"]
    out[shares] = out[shares].astype(float)
    return out


def _status_shares(shares: list[float] | None) -> dict[str, float | None]:
    """{"share_kept": ..., "share_partly": ..., "share_not_yet": ...}, adding up to 100%, or all None."""
    columns = ["share_" + status.replace("-", "_") for status in weeks.REVIEW_STATUSES]
    return dict(zip(columns, shares or [None] * len(columns)))


def best_over_time(frame: pd.DataFrame, *, window: Window = EVERYTHING) -> pd.DataFrame:
    """Average weekly answer to "Am I doing my best?" per team and for the room, per ISO week.

    A week's mean is shown when enough people answered it (extramile.summary.disclosure);
    the room's pools only the teams whose own mean that week is shown. `n`
    always says how many answered.
    """
    columns = ["scope", "team", "week", "week_label", "n", "mean", "small_team", "counts_only"]
    rows = select(frame, window)
    rows = rows.loc[(rows["item"] == "checkin") & rows["best"].notna() & rows["date"].notna(),
                    ["participant", "team", "small_team", "at", "date", "best"]]
    rows = latest_per(rows, ["participant", "date"])
    if rows.empty:
        return pd.DataFrame(columns=columns)
    tallies = tallies_by(rows, ["date", "team"], "best")
    small = rows.drop_duplicates("team").set_index("team")["small_team"].to_dict()
    records = []
    for (week,), groups in tallies.items():
        records.append({"scope": "room", "team": ALL_TEAMS, "week": week, "small_team": False,
                        "n": sum(t.n for t in groups.values()), "mean": disclosure.pooled_mean(groups)})
        for team, tally in groups.items():
            records.append({"scope": "team", "team": team, "week": week, "small_team": bool(small[team]),
                            "n": tally.n, "mean": disclosure.shown_mean(*tally)})
    out = pd.DataFrame(records)
    out["counts_only"] = out["mean"].isna()
    out["mean"] = out["mean"].astype(float)
    out["week_label"] = _week_labels(out["week"])
    order = {name: i for i, name in enumerate(teams_in(frame, window.teams))}
    out["order"] = out["team"].where(out["scope"] == "team").map(order).fillna(-1)
    return out.sort_values(["order", "week"], kind="stable")[columns].reset_index(drop=True)


def best_by_team(over_time: pd.DataFrame) -> pd.DataFrame:
    """Per team: check-ins, and the mean of the first and of the latest week that has one."""
    columns = ["scope", "team", "small_team", "checkins", "first_week", "first_mean", "last_week",
               "last_mean"]
    if over_time.empty:
        return pd.DataFrame(columns=columns)
    keys = ["scope", "team"]
    counts = over_time.groupby(keys, sort=False).agg(small_team=("small_team", "first"),
                                                     checkins=("n", "sum"))
    shown = over_time.dropna(subset=["mean"]).groupby(keys, sort=False).agg(
        first_week=("week_label", "first"), first_mean=("mean", "first"),
        last_week=("week_label", "last"), last_mean=("mean", "last"))
    return counts.join(shown).reset_index()[columns]
