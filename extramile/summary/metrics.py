"""The facilitator's figures of the workshop day, computed from the journal frame (extramile.summary.journal_frame).

The notebook, the HTML report and the console all draw from the functions
here (the shares of choices from extramile.summary.choices, the figures over the
weeks from extramile.summary.weekly_metrics), so a number means the
same thing wherever it is shown. A figure is shown only where enough people
answered it, rounded, and the room's figures pool only the teams whose own
figure is shown: the rule and its thresholds
live in extramile.summary.disclosure, which every function here calls. Counts (who
answered, how many) are always shown. Shared text of a team with fewer than
three members is counted, not shown.

Pandas only: no widgets, no HTML, no charts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from extramile.content import Catalog
from extramile.summary import disclosure
from extramile.summary.journal_frame import MIN_GROUP

ALL_TEAMS = "All teams"
WEEKLY_TITLES = {
    "story": "Weekly extra-mile story",
    "plan": "Weekly commitment",
}


# --- filters and the small-group rule ------------------------------------------------------------

@dataclass(frozen=True)
class Window:
    """The teams and days a figure covers, as the report's options and the notebook's filters choose them.

    No teams means every team; a missing start or end means no limit that way.
    """

    teams: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None


EVERYTHING = Window()


def select(frame: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Rows of the window's teams whose day falls in [start, end].

    A weekly entry's day is the Monday of its week (see journal_frame._entry_dates), so a
    range picks whole weeks when it starts on a Monday.
    """
    if window == EVERYTHING:
        return frame
    mask = np.ones(len(frame), dtype=bool)
    if window.teams:
        mask &= frame["team"].isin(window.teams).to_numpy()
    if window.start is not None:
        mask &= (frame["date"] >= pd.Timestamp(window.start)).to_numpy()
    if window.end is not None:
        mask &= (frame["date"] <= pd.Timestamp(window.end)).to_numpy()
    return frame[mask]


def teams_table(frame: pd.DataFrame, teams: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per team in display order (see team_order): members and whether it is small.

    Sizes come from the whole journal, not the filtered rows: a date filter must
    not make a team of eight look like a team of two.
    """
    columns = frame[["team", "team_size", "small_team"]]
    table = columns[~columns["team"].duplicated().to_numpy()]
    if teams:
        table = table[table["team"].isin(teams)]
    order = sorted(table["team"], key=team_order)
    table = table.set_index("team").loc[order].reset_index()
    return table.rename(columns={"team_size": "members"})


def team_order(name: str) -> tuple:
    """Sort key: case-insensitive, numbers by value, so "Team 9" comes before "Team 10"."""
    parts = re.split(r"(\d+)", name.casefold())
    return tuple((0, int(part), "") if part.isdecimal() else (1, 0, part) for part in parts), name


def teams_in(frame: pd.DataFrame, teams: tuple[str, ...] = ()) -> list[str]:
    """The frame's team names in display order (those of `teams` only, if given)."""
    return list(teams_table(frame, teams)["team"])


def latest_per(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One answer per person and question: the newest, so nobody counts twice in a mean."""
    return rows.sort_values("at", kind="stable").drop_duplicates(keys, keep="last")


# --- during the workshop --------------------------------------------------------------------------

def members_signed_in(frame: pd.DataFrame, *, window: Window = EVERYTHING) -> pd.DataFrame:
    """Per team: members known from any entry, and how many have signed in (a profile entry)."""
    table = teams_table(frame, window.teams)
    rows = select(frame, window)
    profiles = rows.loc[rows["item"] == "profile", ["team", "participant"]]
    signed = profiles.groupby("team")["participant"].nunique()
    table["signed_in"] = table["team"].map(signed).fillna(0).astype(int)
    return table[["team", "members", "signed_in", "small_team"]]


def completion_by_team_lesson(frame: pd.DataFrame, catalog: Catalog, *, window: Window = EVERYTHING) -> pd.DataFrame:
    """Per team and page: exercises answered (private ones too) out of members x exercises.

    These are counts, so small teams are shown as well.
    """
    table = teams_table(frame, window.teams)
    rows = select(frame, window)
    answers = rows.loc[rows["item"] == "lesson", ["participant", "team", "exercise", "notebook"]]
    answers = answers.drop_duplicates(["participant", "exercise"])
    answered = answers.groupby(["team", "notebook"]).size().to_dict()
    records = []
    for team, members, small in table[["team", "members", "small_team"]].itertuples(index=False):
        for notebook, label in catalog.notebooks.items():
            count = len(catalog.exercises_in(notebook))
            if not count:
                continue
            done = int(answered.get((team, notebook), 0))
            possible = int(members) * count
            records.append({"team": team, "notebook": notebook, "label": label, "members": int(members),
                            "exercises": count, "answered": done, "possible": possible,
                            "share": done / possible if possible else np.nan, "small_team": bool(small)})
    return pd.DataFrame(records, columns=["team", "notebook", "label", "members", "exercises", "answered",
                                          "possible", "share", "small_team"])


def mindset_before_after(frame: pd.DataFrame, *, window: Window = EVERYTHING) -> pd.DataFrame:
    """The scale check-ins at the start and the end of the session, per team and for the room.

    One row per team (and 'All teams') and measure ('mindset', 'best'): how many
    answered before and after, and the means extramile.summary.disclosure lets us
    show. The room's mean pools only the teams whose own mean is shown; its
    counts are everyone's.
    """
    table = teams_table(frame, window.teams)
    rows = select(frame, window)
    wanted = (rows["item"] == "lesson") & rows["moment"].isin(["before", "after"]) & rows["value"].notna()
    rows = rows.loc[wanted, ["participant", "team", "at", "measure", "moment", "value"]]
    rows = latest_per(rows, ["participant", "measure", "moment"])
    measures = [m for m in ("mindset", "best") if m in set(rows["measure"])]
    measures += sorted(set(rows["measure"].dropna()) - set(measures))
    tallies = tallies_by(rows, ["measure", "moment", "team"], "value")
    records = []
    for measure in measures:
        room = {}
        for moment in ("before", "after"):
            groups = tallies.get((measure, moment), {})
            room[moment] = (sum(t.n for t in groups.values()), disclosure.pooled_mean(groups))
        records.append(_before_after("room", ALL_TEAMS, measure, False, room))
        for team, small in table[["team", "small_team"]].itertuples(index=False):
            found = {}
            for moment in ("before", "after"):
                total, n = tallies.get((measure, moment), {}).get(team, (0, 0))
                found[moment] = (n, disclosure.shown_mean(total, n))
            records.append(_before_after("team", team, measure, bool(small), found))
    return pd.DataFrame(records, columns=["scope", "team", "measure", "before_n", "before_mean", "after_n",
                                          "after_mean", "change", "counts_only"])


def tallies_by(rows: pd.DataFrame, keys: list[str], column: str) -> dict[tuple, dict[str, disclosure.Tally]]:
    """{(key...): {team: Tally(sum, n)}} with the team last in `keys`: what disclosure pools from."""
    found: dict[tuple, dict[str, disclosure.Tally]] = {}
    sums = rows.groupby(keys)[column].agg(["sum", "size"])
    for key, total, n in zip(sums.index, sums["sum"].tolist(), sums["size"].tolist()):
        key = key if isinstance(key, tuple) else (key,)
        found.setdefault(key[:-1], {})[key[-1]] = disclosure.Tally(float(total), int(n))
    return found


def _before_after(scope: str, team: str, measure: str, small: bool, found: dict) -> dict:
    record = {"scope": scope, "team": team, "measure": measure, "counts_only": small}
    for moment, (n, mean) in found.items():
        record[f"{moment}_n"] = int(n)
        record[f"{moment}_mean"] = np.nan if mean is None else mean
    change = disclosure.change(found["before"][1], found["after"][1])
    record["change"] = np.nan if change is None else change
    return record


def shared_wall(frame: pd.DataFrame, catalog: Catalog, *, window: Window = EVERYTHING,
                per_team: int | None = None) -> pd.DataFrame:
    """Text participants chose to share, newest first, by team, without names.

    An answer belongs to the team it was shared with: the one written in the
    entry, even if its writer has moved on since. Teams under three show only
    how many answers they shared (a `counts_only` row with no text).
    `per_team` keeps the newest few of each team; `total` always says how
    many there are. `parts` holds an answer's (label, text) pairs, for views
    that set the labels apart; `text` the same as plain lines "Label: text".
    """
    columns = ["team", "counts_only", "total", "at", "exercise", "title", "week", "card", "parts", "text"]
    rows = shared_answers(select(frame, replace(window, teams=())), team_sizes(teams_table(frame)))
    if window.teams:
        rows = rows[rows["team"].isin(window.teams)]
    small = rows["small"]
    totals = rows.groupby("team").size()
    withheld = pd.DataFrame({"team": rows.loc[small, "team"].unique(), "counts_only": True, "at": pd.NaT,
                             "exercise": None, "title": None, "week": None, "card": None, "parts": None,
                             "text": None})
    shown = rows[~small].sort_values("at", ascending=False, kind="stable")
    if per_team:
        shown = shown[shown.groupby("team").cumcount() < per_team]
    titles = {e.id: e.title for e in catalog.exercises.values()}
    weekly = shown["item"].map(WEEKLY_TITLES).astype(object)
    title = shown["exercise"].map(titles).where(shown["item"] == "lesson", weekly + ", " + shown["week"])
    wall = pd.DataFrame({"team": shown["team"], "counts_only": False, "at": shown["at"],
                         "exercise": shown["exercise"], "title": title, "week": shown["week"],
                         "card": shown["card"], "parts": shown["shared_parts"],
                         "text": shown["shared_parts"].map(plain_text)})
    if len(withheld):
        wall = pd.concat([wall, withheld], ignore_index=True) if len(wall) else withheld
    wall["total"] = wall["team"].map(totals).fillna(0).astype(int)
    order = sorted(set(wall["team"]), key=team_order)
    wall["order"] = wall["team"].map({name: i for i, name in enumerate(order)})
    return wall.sort_values("order", kind="stable")[columns].reset_index(drop=True)


def team_sizes(table: pd.DataFrame) -> pd.Series:
    """Members per team, by team name: what the wall's small-group rule looks up.

    From any table with both columns (teams_table, members_signed_in), so the
    console reuses the one it already made for its progress.
    """
    return table.set_index("team")["members"]


def shared_answers(rows: pd.DataFrame, sizes: pd.Series) -> pd.DataFrame:
    """Answers shared with words, each under the team it was shared with, `small` where that team is under three.

    An answer belongs to the team written in its entry, even if its writer has
    moved on since; a small team's answers are counted on the wall, never shown.
    The report's wall and the console's queue and projector all start here.
    """
    rows = rows.loc[rows["shared"] & rows["shared_parts"].notna(),
                    ["entry_team", "at", "item", "exercise", "week", "card", "shared_parts"]]
    rows = rows.assign(team=rows["entry_team"])
    return rows.assign(small=(rows["team"].map(sizes).fillna(0) < MIN_GROUP).to_numpy())


def plain_text(parts: tuple[tuple[str, str], ...]) -> str:
    """A shared answer as lines of "Label: text", for a view that shows plain text (the console's cards)."""
    return "\n".join(f"{label}: {text}" if label else text for label, text in parts)
