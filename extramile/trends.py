"""One participant's trends, from their own journal entries: stories, streak, check-ins, habits.

Plain Python and hand-written SVG rather than matplotlib: the weekly page opens
in the participant's own kernel, and drawing two small charts this way costs
microseconds where importing matplotlib costs most of a second. SVG also
scales to a phone's width without blurring. Nothing here reads files or
builds widgets: entries in, numbers and markup out.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from extramile import weeks
from extramile.weeks import CHECKIN, HABITS, STORY, STORY_PARTS

INK = "#1f2328"
MUTED = "#656d76"
GRID = "#d8dee4"
BEST = "#0f766e"
MINDSET = "#b35900"
ZERO = "#eef0f2"
SHADES = ("#c9ebe4", "#8fd1c4", "#4fb3a3", "#2a9d8f", "#137a6f", "#0b5d55")
HEATMAP_WEEKS = 52
NARROW_HEATMAP_WEEKS = 26
MIN_HEATMAP_WEEKS = 12
MARKERS_UP_TO = 26
AVERAGE_WEEKS = 4
WIDTH = 520
TEXT_EM = 7.4  # about the width of one character at font-size 13, for laying out the legend
NARROW = 340  # drawn for phones, so the text stays readable instead of shrinking with the chart


@dataclass
class Trends:
    """What the 'My trends' section shows, all keyed by ISO week ("2026-W48")."""

    current: str
    story_weeks: set[str] = field(default_factory=set)
    checkins: dict[str, tuple[int, int]] = field(default_factory=dict)  # week -> (best, mindset)
    habits: dict[str, dict] = field(default_factory=dict)  # week -> {habit id: count or tick}

    @property
    def stories(self) -> int:
        return len(self.story_weeks)

    @property
    def streak(self) -> int:
        """Weeks in a row with a story, up to this week (or last week, while this one is still open)."""
        week = self.current if self.current in self.story_weeks else weeks.shift(self.current, -1)
        count = 0
        while week in self.story_weeks:
            count += 1
            week = weeks.shift(week, -1)
        return count

    @property
    def empty(self) -> bool:
        return not (self.story_weeks or self.checkins or self.habits)


def _score(value) -> int | None:
    return value if type(value) is int and 1 <= value <= 10 else None


def trends_of(entries: list[dict], current: str) -> Trends:
    """The participant's trends from their current entries; odd or foreign answers are skipped."""
    trends = Trends(current)
    for entry in entries:
        answer = entry.get("answer")
        if not isinstance(answer, dict) or not weeks.is_week(answer.get("week")):
            continue
        week, exercise = answer["week"], entry.get("exercise")
        if exercise == STORY:
            if any(isinstance(answer.get(p), str) and answer[p].strip() for p in STORY_PARTS):
                trends.story_weeks.add(week)
        elif exercise == CHECKIN:
            best, mindset = _score(answer.get("best")), _score(answer.get("mindset"))
            if best is not None and mindset is not None:
                trends.checkins[week] = (best, mindset)
        elif exercise == HABITS and isinstance(answer.get("values"), dict):
            trends.habits[week] = answer["values"]
    return trends


# --- charts -------------------------------------------------------------------------------------

def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg class="em-chart" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg" '
            f'font-family="system-ui, sans-serif" font-size="13">{"".join(body)}</svg>')


def _month(week: str) -> str:
    return f"{weeks.monday(week):%b %Y}"


def moving_average(trends: Trends, slot: int) -> list[tuple[str, float]]:
    """(week, mean of the check-ins in the four weeks up to it), for every week with a check-in."""
    checked = sorted(trends.checkins)
    span = weeks.weeks_between(checked[0], checked[-1])
    averaged = []
    for index, week in enumerate(span):
        if week in trends.checkins:
            window = span[max(index - AVERAGE_WEEKS + 1, 0):index + 1]
            scores = [trends.checkins[w][slot] for w in window if w in trends.checkins]
            averaged.append((week, sum(scores) / len(scores)))
    return averaged


def checkin_chart(trends: Trends, best_label: str, mindset_label: str, width: int = WIDTH) -> str:
    """Best and mindset, 1-10, week by week: two lines over every week from the first check-in.

    A long journal is noisy week to week, so past 26 check-ins the weekly lines
    go faint and a four-week average is drawn over them.
    """
    checked = sorted(trends.checkins)
    span = weeks.weeks_between(checked[0], checked[-1])
    height, left, right, top, bottom = 220, 26, 10, 36, 28
    long = len(checked) > MARKERS_UP_TO
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(span) - 1, 1)
    position = {week: i for i, week in enumerate(span)}

    def x(week):
        return left + position[week] * step if len(span) > 1 else left + plot_w / 2

    def y(score):
        return top + (10 - score) * plot_h / 9

    body = []
    for score in (1, 5, 10):
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y(score):.1f}" y2="{y(score):.1f}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(f'<text x="{left - 6}" y="{y(score) + 4:.1f}" text-anchor="end" '
                    f'fill="{MUTED}">{score}</text>')
    ticks = sorted({0, len(span) - 1, *(round(i * (len(span) - 1) / 3) for i in (1, 2))})
    for index in ticks if len(span) > 1 else [0]:
        anchor = "start" if index == 0 else "end" if index == len(span) - 1 else "middle"
        body.append(f'<text x="{x(span[index]):.1f}" y="{height - 6}" text-anchor="{anchor}" '
                    f'fill="{MUTED}">{html.escape(_month(span[index]))}</text>')
    for slot, (colour, label) in enumerate(((BEST, best_label), (MINDSET, mindset_label))):
        points = [(x(week), y(trends.checkins[week][slot])) for week in checked]
        body.append(_line(points, colour, 1.2 if long else 2.2, 0.3 if long else 1.0))
        if long:
            averaged = [(x(week), y(mean)) for week, mean in moving_average(trends, slot)]
            body.append(_line(averaged, colour, 2.6, 1.0))
        else:
            body += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.2" fill="{colour}"/>' for px, py in points]
        lx = left if slot == 0 else max(left + plot_w / 2, left + 20 + len(best_label) * TEXT_EM + 18)
        body.append(f'<rect x="{lx:.1f}" y="8" width="14" height="4" fill="{colour}"/>'
                    f'<text x="{lx + 20:.1f}" y="15" fill="{INK}">{html.escape(label)}</text>')
    return _svg(width, height, body, f"{best_label} and {mindset_label}, week by week")


def _line(points: list[tuple[float, float]], colour: str, width: float, opacity: float) -> str:
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    return (f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width}" '
            f'stroke-opacity="{opacity}" stroke-linejoin="round"/>')


def _shade(value, top) -> str:
    if value is True:
        return SHADES[3]
    if type(value) is not int or value <= 0 or top <= 0:
        return ZERO
    share = min(value / top, 1.0)
    return SHADES[min(int(share * len(SHADES)), len(SHADES) - 1)]


def heatmap_weeks(trends: Trends, most: int = HEATMAP_WEEKS) -> list[str]:
    """The weeks the heat map covers, up to now: from the first habit check, at least 12, at most `most`."""
    last = trends.current
    recent = [w for w in trends.habits if weeks.shift(last, -most) < w <= last]
    if not recent:
        return []
    shown = min(max(MIN_HEATMAP_WEEKS, len(weeks.weeks_between(min(recent), last))), most)
    return weeks.weeks_between(weeks.shift(last, -(shown - 1)), last)


def habit_heatmap_svg(trends: Trends, habits, title: str, width: int = WIDTH, most: int = HEATMAP_WEEKS) -> str:
    """One strip per habit, one square per week (the last `most` weeks at most); empty squares: no check.

    "" when no habit was checked in those weeks.
    """
    span = heatmap_weeks(trends, most)
    if not span:
        return ""
    left, row_h, cell_h = 2, 36, 14
    cell_w = (width - 2 * left) / len(span)
    body = []
    for row, habit in enumerate(habits):
        top = row * row_h
        counts = [v for w in span if type(v := trends.habits.get(w, {}).get(habit.id)) is int and v > 0]
        most = max(counts, default=0)
        body.append(f'<text x="{left}" y="{top + 12}" fill="{INK}">{html.escape(habit.label)}</text>')
        for col, week in enumerate(span):
            x, y = left + col * cell_w, top + 18
            values = trends.habits.get(week)
            if values is None or habit.id not in values:
                body.append(f'<rect x="{x + 0.5:.1f}" y="{y + 0.5}" width="{max(cell_w - 1.5, 0.5):.1f}" '
                            f'height="{cell_h - 1}" fill="none" stroke="{GRID}"/>')
                continue
            value = values[habit.id]
            shown_value = ("yes" if value else "no") if isinstance(value, bool) else value
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{max(cell_w - 1, 0.5):.1f}" height="{cell_h}" '
                        f'fill="{_shade(value, most)}">'
                        f'<title>{week}: {html.escape(str(shown_value))}</title></rect>')
    height = len(habits) * row_h + 18
    body.append(f'<text x="{left}" y="{height - 2}" fill="{MUTED}">{html.escape(_month(span[0]))}</text>'
                f'<text x="{width - left}" y="{height - 2}" text-anchor="end" fill="{MUTED}">'
                f'{html.escape(_month(span[-1]))}</text>')
    return _svg(width, height, body, title)
