"""Charts for the facilitator's summary: the frames of extramile.summary.metrics in, matplotlib Figures out.

Figures are built with the object API on the Agg canvas, never pyplot, so
nothing is shown or kept behind the caller's back (a notebook kernel that
refreshes every 30 seconds must not pile up figures) and a chart can be drawn
off the main thread. Team names are participants' text: mathtext is off, so
a name with a dollar sign is drawn as typed. Cells a small group may not show
are drawn gray and hatched, labeled "counts only".
"""

from __future__ import annotations

import base64
import functools
import io
import textwrap
from collections.abc import Callable
from typing import ParamSpec

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.colors import Colormap, LinearSegmentedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.image import AxesImage  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402

from extramile.summary.metrics import ALL_TEAMS  # noqa: E402

INK = "#1f2328"
MUTED = "#656d76"
GRID = "#d8dee4"
ACCENT = "#0f766e"
BEFORE = "#a0a8b1"
STATUS_COLOURS = {"kept": "#2da44e", "partly": "#e3b341", "not_yet": "#e5675f"}
SHARES = LinearSegmentedColormap.from_list("extramile", ["#f0f7f6", "#8fd1c4", "#2a9d8f", "#0b5d55"])
COUNTS_ONLY = "#eef0f2"
MAX_LINES = 10
WIDTH = 9.6
P = ParamSpec("P")

_RC = {
    "text.parse_math": False,
    "font.size": 10,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "legend.frameon": False,
    "hatch.color": "#c3c9cf",
}


def _styled(draw: Callable[P, Figure]) -> Callable[P, Figure]:
    """Draw with our rc settings (mathtext off above all) without touching the caller's."""
    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with matplotlib.rc_context(_RC):
            return draw(*args, **kwargs)
    return wrapper


def figure_to_png_base64(figure: Figure, dpi: int = 100) -> str:
    """The figure as a base64 PNG, for an <img src="data:image/png;base64,..."> that needs no network."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def short(label: str, width: int = 26) -> str:
    label = str(label)
    return label if len(label) <= width else label[: width - 1] + "…"


def _message(text: str) -> Figure:
    figure = Figure(figsize=(WIDTH, 1.2))
    figure.text(0.5, 0.5, text, ha="center", va="center", color=MUTED, fontsize=11)
    return figure


def _row_height(rows: int) -> float:
    return 0.34 if rows <= 15 else 0.26 if rows <= 40 else 0.2


def _heatmap(ax: Axes, matrix: np.ndarray, rows: list[str], columns: list[str], *,
             labels: np.ndarray | None = None, vmax: float = 1.0, cmap: Colormap = SHARES) -> AxesImage:
    """A heat map whose NaN cells are hatched gray: the small-group rule made visible."""
    masked = np.ma.masked_invalid(matrix.astype(float))
    ax.patch.set_facecolor(COUNTS_ONLY)
    ax.patch.set_hatch("///")  # shows through the masked (NaN) cells only
    image = ax.imshow(masked, aspect="auto", cmap=cmap, vmin=0, vmax=vmax, interpolation="nearest")
    ax.set_yticks(range(len(rows)), [short(r) for r in rows])
    ax.set_xticks(range(len(columns)), columns)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if labels is not None and matrix.size <= 300:
        for (i, j), text in np.ndenumerate(labels):
            value = matrix[i, j]
            dark = not np.isnan(value) and value / vmax > 0.55
            ax.text(j, i, text, ha="center", va="center", fontsize=9,
                    color="white" if dark else (MUTED if np.isnan(value) else INK))
    return image


def _grid(frame: pd.DataFrame, columns: str, values: str, teams: list[str], order: list[str]) -> pd.DataFrame:
    """One value per team and column, both in the order they are drawn."""
    return frame.pivot(index="team", columns=columns, values=values).loc[teams, order]


def _share_colorbar(figure: Figure, ax: Axes, image: AxesImage) -> None:
    figure.colorbar(image, ax=ax, fraction=0.03, pad=0.02, format=lambda x, _: f"{x:.0%}")


# --- during the workshop --------------------------------------------------------------------------

@_styled
def completion_chart(completion: pd.DataFrame) -> Figure:
    """Team x page: the share of exercises answered, members per team beside the name."""
    if completion.empty:
        return _message("No teams yet.")
    teams = list(dict.fromkeys(completion["team"]))
    pages = list(dict.fromkeys(completion["label"]))
    share = _grid(completion, "label", "share", teams, pages).to_numpy()
    possible = _grid(completion, "label", "possible", teams, pages)
    labels = np.array([[f"{s:.0%}" if p else "–" for s, p in zip(srow, prow)]
                       for srow, prow in zip(np.nan_to_num(share), possible.to_numpy())])
    members = completion.drop_duplicates("team").set_index("team")["members"]
    rows = [f"{short(t, 22)} ({members[t]})" for t in teams]
    figure = Figure(figsize=(WIDTH, 1.3 + _row_height(len(teams)) * len(teams)))
    ax = figure.add_subplot()
    image = _heatmap(ax, np.nan_to_num(share), rows, pages, labels=labels)
    ax.xaxis.tick_top()
    ax.set_title("Share of each page's exercises answered (members in brackets)", pad=28)
    _share_colorbar(figure, ax, image)
    return figure


@_styled
def mindset_chart(mindset: pd.DataFrame) -> Figure:
    """Before and after, per team and for the room: one dumbbell per measure."""
    measures = list(dict.fromkeys(mindset["measure"]))
    if not measures:
        return _message("No before/after check-ins yet.")
    teams = list(dict.fromkeys(mindset["team"]))
    figure = Figure(figsize=(WIDTH, 1.4 + _row_height(len(teams)) * len(teams)))
    axes = figure.subplots(1, len(measures), sharey=True, squeeze=False)[0]
    titles = {"mindset": "Mindset (1-10)", "best": "Am I doing my best? (1-10)"}
    for ax, measure in zip(axes, measures):
        rows = mindset[mindset["measure"] == measure].set_index("team").loc[teams].reset_index()
        y = np.arange(len(rows))
        before = rows["before_mean"].to_numpy(dtype=float)
        after = rows["after_mean"].to_numpy(dtype=float)
        both = ~np.isnan(before) & ~np.isnan(after)
        sizes = np.where(rows["scope"] == "room", 70, 45)
        ax.hlines(y[both], before[both], after[both], color=GRID, linewidth=3, zorder=1)
        ax.scatter(before, y, s=sizes, color=BEFORE, zorder=2)
        ax.scatter(after, y, s=sizes, color=ACCENT, zorder=3)
        for i in np.flatnonzero(np.isnan(before) & np.isnan(after)):
            row = rows.iloc[i]
            why = "counts only" if row["counts_only"] else "too few answers"
            ax.text(5.5, i, f"{why} ({row['before_n']} before, {row['after_n']} after)", ha="center",
                    va="center", color=MUTED, fontsize=8)
        ax.set_xlim(0.5, 10.5)
        ax.set_xticks(range(1, 11))
        ax.set_yticks(y, [short(t) for t in teams])
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_title(titles.get(measure, measure.capitalize()))
        for label, scope in zip(ax.get_yticklabels(), rows["scope"]):
            if scope == "room":
                label.set_fontweight("bold")
    axes[0].set_ylim(len(teams) - 0.5, -0.5)  # first team on top; the axes share it
    figure.legend(handles=[Patch(color=BEFORE, label="before the session"),
                           Patch(color=ACCENT, label="after the session")],
                  loc="lower center", ncols=2, bbox_to_anchor=(0.5, -0.02))
    figure.subplots_adjust(bottom=0.1 + 0.25 / len(teams))
    return figure


@_styled
def scenario_chart(spread: pd.DataFrame) -> Figure:
    """One panel per scenario: how the room's choices spread over the responses."""
    scenarios = list(dict.fromkeys(spread["exercise"]))
    if not scenarios:
        return _message("No scenarios in the content.")
    heights = [0.75 + 0.42 * len(spread[spread["exercise"] == s]) for s in scenarios]
    figure = Figure(figsize=(WIDTH, sum(heights) + 0.35 * len(scenarios)))
    axes = figure.subplots(len(scenarios), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    for ax, scenario in zip(axes, scenarios):
        rows = spread[spread["exercise"] == scenario]
        first = rows.iloc[0]
        labels = [textwrap.shorten(str(t), 80, placeholder="…") for t in rows["option_text"]]
        labels = ["\n".join(textwrap.wrap(t, 48)) for t in labels]
        y = np.arange(len(rows))
        ax.set_title(f"{first['title']}  ({first['respondents']} answers)", fontsize=10)
        ax.set_yticks(y, labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        if first["counts_only"]:
            ax.text(0.5, (len(rows) - 1) / 2, "too few answers to show", ha="center", va="center",
                    color=MUTED)
            continue
        shares = rows["share"].to_numpy(dtype=float)
        top = np.nanmax(shares)
        ax.barh(y, shares, color=[ACCENT if s == top else "#9fd3cb" for s in shares], height=0.62)
        for i, s in enumerate(shares):
            ax.text(s + 0.01, i, f"{s:.0%}", va="center", fontsize=8, color=INK)
    figure.subplots_adjust(hspace=0.7)
    return figure


# --- over the weeks -------------------------------------------------------------------------------

def _week_ticks(ax: Axes, labels: list[str]) -> None:
    step = max(1, int(np.ceil(len(labels) / 14)))
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right", fontsize=8)


@_styled
def stories_chart(stories: pd.DataFrame) -> Figure:
    """Team x week: the share of members who wrote that week's extra-mile story."""
    if stories.empty:
        return _message("No weekly stories yet.")
    teams = list(dict.fromkeys(stories["team"]))
    weeks = list(dict.fromkeys(stories["week_label"]))
    share = _grid(stories, "week_label", "share", teams, weeks)
    counts = _grid(stories, "week_label", "stories", teams, weeks)
    figure = Figure(figsize=(WIDTH, 1.5 + _row_height(len(teams)) * len(teams)))
    ax = figure.add_subplot()
    labels = counts.astype(int).astype(str).to_numpy() if len(weeks) <= 16 else None
    image = _heatmap(ax, share.to_numpy(dtype=float), teams, weeks, labels=labels)
    _week_ticks(ax, weeks)
    ax.set_title("Weekly stories: share of members who wrote one (number in the cell)"
                 if labels is not None else "Weekly stories: share of members who wrote one")
    _share_colorbar(figure, ax, image)
    return figure


@_styled
def habits_chart(habits: pd.DataFrame) -> Figure:
    """Team x habit: how often each habit was practiced in the weekly check-ins."""
    if habits.empty:
        return _message("No habit check-ins yet.")
    teams = list(dict.fromkeys(habits["team"]))
    names = list(dict.fromkeys(habits["label"]))
    share = _grid(habits, "label", "share", teams, names)
    share = share.to_numpy(dtype=float)
    tracked = _grid(habits, "label", "tracked", teams, names).to_numpy(dtype=bool)
    labels = np.where(np.isnan(share), "", np.char.mod("%d%%", np.nan_to_num(share * 100).round()))
    labels = np.where(tracked, labels, "")
    figure = Figure(figsize=(WIDTH, 2.3 + _row_height(len(teams)) * len(teams)))
    ax = figure.add_subplot()
    wrapped = ["\n".join(textwrap.wrap(n, max(9, 98 // len(names)), break_long_words=False))
               for n in names]  # narrower as teams of their own add columns
    image = _heatmap(ax, share, teams, wrapped, labels=labels)
    for row, column in zip(*np.nonzero(~tracked)):  # a team of its own habits: blank, not "counts only"
        ax.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, facecolor="white", edgecolor=GRID, zorder=2))
        ax.text(column, row, "not\ntracked", ha="center", va="center", fontsize=8, color=MUTED, zorder=3)
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", labelsize=8)
    ax.set_title("Habits: share of weekly check-ins in which each was practiced (hatched: counts only)",
                 pad=12 + 10 * max(label.count("\n") + 1 for label in wrapped))
    _share_colorbar(figure, ax, image)
    return figure


@_styled
def commitments_chart(kept: pd.DataFrame) -> Figure:
    """Per team and for the room: how reviewed commitments went (kept, partly, not yet)."""
    if kept.empty or not kept["reviewed"].any():
        return _message("No commitments reviewed yet.")
    teams = list(kept["team"])
    figure = Figure(figsize=(WIDTH, 1.4 + _row_height(len(teams)) * len(teams)))
    ax = figure.add_subplot()
    y = np.arange(len(teams))
    left = np.zeros(len(teams))
    for status, label in (("kept", "kept"), ("partly", "partly"), ("not_yet", "not yet")):
        share = kept[f"share_{status}"].to_numpy(dtype=float)
        ax.barh(y, np.nan_to_num(share), left=left, color=STATUS_COLOURS[status], label=label, height=0.66)
        left += np.nan_to_num(share)
    for i, row in enumerate(kept.itertuples()):
        if row.counts_only:
            ax.text(0.5, i, f"counts only ({row.made} made, {row.reviewed} reviewed)", ha="center",
                    va="center", color=MUTED, fontsize=8)
        elif row.reviewed and not np.isnan(row.share_kept):
            ax.text(0.01, i, f"{row.share_kept:.0%}", va="center", color="white", fontsize=8,
                    fontweight="bold")
    ax.set_yticks(y, [short(t) for t in teams])
    for label, scope in zip(ax.get_yticklabels(), kept["scope"]):
        if scope == "room":
            label.set_fontweight("bold")
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.tick_params(axis="y", length=0)
    ax.set_title("Reviewed commitments: how the latest review went")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=3)
    return figure


@_styled
def best_chart(best: pd.DataFrame) -> Figure:
    """"Am I doing my best?" week by week: lines for a few teams, a heat map for many."""
    if best.empty or best["mean"].isna().all():
        return _message("No weekly check-ins from a group of three or more yet.")
    teams = list(dict.fromkeys(best.loc[best["scope"] == "team", "team"]))
    weeks = best.drop_duplicates("week").sort_values("week")
    labels = list(weeks["week_label"])
    position = {week: i for i, week in enumerate(weeks["week"])}
    if len(teams) > MAX_LINES:
        groups = list(dict.fromkeys(zip(best["scope"], best["team"])))  # the room first
        row_of = {group: i for i, group in enumerate(groups)}
        matrix = np.full((len(groups), len(labels)), np.nan)
        matrix[[row_of[g] for g in zip(best["scope"], best["team"])],
               best["week"].map(position).to_numpy()] = best["mean"].to_numpy(dtype=float)
        figure = Figure(figsize=(WIDTH, 1.6 + _row_height(len(groups)) * len(groups)))
        ax = figure.add_subplot()
        image = _heatmap(ax, matrix, [team for _, team in groups], labels, vmax=10, cmap=SHARES)
        _week_ticks(ax, labels)
        for label, (scope, _) in zip(ax.get_yticklabels(), groups):
            if scope == "room":
                label.set_fontweight("bold")
        ax.set_title('"Am I doing my best?": weekly average, 1-10 (hatched: fewer than 3 answers)')
        figure.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
        return figure
    figure = Figure(figsize=(WIDTH, 4.2))
    ax = figure.add_subplot()
    palette = matplotlib.colormaps["tab10"]
    shown = best.dropna(subset=["mean"])
    for i, team in enumerate(teams):
        rows = shown[(shown["scope"] == "team") & (shown["team"] == team)]
        if rows.empty:
            continue
        ax.plot(rows["week"].map(position), rows["mean"], marker="o", markersize=3, linewidth=1.2,
                color=palette(i % 10), alpha=0.8, label=short(team, 20))
    room = shown[shown["scope"] == "room"]
    ax.plot(room["week"].map(position), room["mean"], color=INK, linewidth=2.6, label=ALL_TEAMS)
    ax.set_ylim(1, 10)
    ax.set_xlim(-0.5, len(weeks) - 0.5)
    _week_ticks(ax, labels)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_ylabel("average, 1-10")
    ax.set_title('"Am I doing my best?": weekly average per team')
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return figure
