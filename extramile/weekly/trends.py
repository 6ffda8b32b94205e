"""One participant's trends, from their own journal entries: stories, streak, check-ins, habits.

Plain Python and hand-written SVG rather than matplotlib: the weekly page opens
in the participant's own kernel, and drawing two small charts this way costs
microseconds where importing matplotlib costs most of a second. SVG also
scales to a phone's width without blurring. Nothing here reads files or
builds widgets: entries in, numbers and markup out.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from extramile.content import weekly_text, weeks, workshop_choices
from extramile.content.weeks import CHECKIN, HABITS, STORY, STORY_PARTS

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
    habits: dict[str, dict[str, int | bool]] = field(default_factory=dict)  # week -> {habit id: count or tick}

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


def _score(value: object) -> int | None:
    return value if type(value) is int and 1 <= value <= 10 else None


def trends_of(entries: list[dict], current: str) -> Trends:
    """The participant's trends from their current entries; odd or foreign answers are skipped."""
    trends = Trends(current)
    for entry in entries:
        answer = weeks.weekly_answer(entry)
        if answer is None:
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

def _svg(width: int, height: int, body: list[Markup], title: str) -> Markup:
    return Markup('<svg class="em-chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
                  'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="13">'
                  '{}</svg>').format(width, height, title, Markup("").join(body))


def date_labels(shown: Sequence[str]) -> list[str]:
    """Labels for weeks along an axis: '2 Nov', '16 Nov', '30 Nov 2026', by the Monday each starts on.

    Dates, not months, so that ticks a few weeks apart never read "Nov 2026 ...
    Nov 2026". The year is written once: on the last label when all share it,
    else on the first and wherever it changes.
    """
    days = [weeks.monday(week) for week in shown]
    one_year = len({day.year for day in days}) == 1
    labels = []
    for index, day in enumerate(days):
        if one_year:
            with_year = index == len(days) - 1
        else:
            with_year = index == 0 or day.year != days[index - 1].year
        labels.append(f"{day.day} {day:%b %Y}" if with_year else f"{day.day} {day:%b}")
    return labels


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


def checkin_chart(trends: Trends, best_label: str, mindset_label: str, width: int = WIDTH) -> Markup:
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

    def x(week: str) -> float:
        return left + position[week] * step if len(span) > 1 else left + plot_w / 2

    def y(score: float) -> float:
        return top + (10 - score) * plot_h / 9

    body: list[Markup] = []
    for score in (1, 5, 10):
        body.append(Markup('<line x1="{0}" x2="{1}" y1="{2:.1f}" y2="{2:.1f}" stroke="{3}" stroke-width="1"/>')
                    .format(left, width - right, y(score), GRID))
        body.append(Markup('<text x="{}" y="{:.1f}" text-anchor="end" fill="{}">{}</text>')
                    .format(left - 6, y(score) + 4, MUTED, score))
    gaps = 3 if width >= WIDTH else 2  # a phone's narrower chart has room for three dates, not four
    ticks = sorted({0, len(span) - 1, *(round(i * (len(span) - 1) / gaps) for i in range(1, gaps))})
    ticks = ticks if len(span) > 1 else [0]
    for index, label in zip(ticks, date_labels([span[i] for i in ticks])):
        anchor = "start" if index == 0 else "end" if index == len(span) - 1 else "middle"
        body.append(Markup('<text x="{:.1f}" y="{}" text-anchor="{}" fill="{}">{}</text>')
                    .format(x(span[index]), height - 6, anchor, MUTED, label))
    for slot, (color, label) in enumerate(((BEST, best_label), (MINDSET, mindset_label))):
        points = [(x(week), y(trends.checkins[week][slot])) for week in checked]
        body.append(_line(points, color, 1.2 if long else 2.2, 0.3 if long else 1.0))
        if long:
            averaged = [(x(week), y(mean)) for week, mean in moving_average(trends, slot)]
            body.append(_line(averaged, color, 2.6, 1.0))
        else:
            body += [Markup('<circle cx="{:.1f}" cy="{:.1f}" r="3.2" fill="{}"/>').format(px, py, color)
                     for px, py in points]
        lx = left if slot == 0 else max(left + plot_w / 2, left + 20 + len(best_label) * TEXT_EM + 18)
        body.append(Markup('<rect x="{0:.1f}" y="8" width="14" height="4" fill="{1}"/>'
                           '<text x="{2:.1f}" y="15" fill="{3}">{4}</text>').format(lx, color, lx + 20, INK, label))
    return _svg(width, height, body, f"{best_label} and {mindset_label}, week by week")


def _line(points: list[tuple[float, float]], color: str, width: float, opacity: float) -> Markup:
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    return Markup('<polyline points="{}" fill="none" stroke="{}" stroke-width="{}" stroke-opacity="{}" '
                  'stroke-linejoin="round"/>').format(path, color, width, opacity)


def _shade(value: object, top: int) -> str:
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


def habit_heatmap_svg(trends: Trends, habits: Sequence[workshop_choices.Habit], title: str, width: int = WIDTH,
                      most: int = HEATMAP_WEEKS) -> Markup:
    """One strip per habit, one square per week (the last `most` weeks at most); empty squares: no check.

    "" when no habit was checked in those weeks.
    """
    span = heatmap_weeks(trends, most)
    if not span:
        return Markup("")
    left, line_h, cell_h = 2, 15, 14
    cell_w = (width - 2 * left) / len(span)
    per_line = int((width - 2 * left) / TEXT_EM)
    body: list[Markup] = []
    top = 0
    for habit in habits:
        counts = [v for w in span if type(v := trends.habits.get(w, {}).get(habit.id)) is int and v > 0]
        most = max(counts, default=0)
        lines = textwrap.wrap(habit.label, per_line, break_on_hyphens=False) or [""]
        words = Markup("").join(Markup('<tspan x="{}" dy="{}">{}</tspan>').format(left, 0 if i == 0 else line_h, line)
                                for i, line in enumerate(lines))
        body.append(Markup('<text x="{}" y="{}" fill="{}">{}</text>').format(left, top + 12, INK, words))
        top += (len(lines) - 1) * line_h
        for col, week in enumerate(span):
            x, y = left + col * cell_w, top + 18
            values = trends.habits.get(week)
            if values is None or habit.id not in values:
                body.append(Markup('<rect x="{:.1f}" y="{}" width="{:.1f}" height="{}" fill="none" stroke="{}"/>')
                            .format(x + 0.5, y + 0.5, max(cell_w - 1.5, 0.5), cell_h - 1, GRID))
                continue
            value = values[habit.id]
            shown_value = ("yes" if value else "no") if isinstance(value, bool) else value
            body.append(Markup('<rect x="{:.1f}" y="{}" width="{:.1f}" height="{}" fill="{}"><title>{}: {}</title>'
                               '</rect>').format(x, y, max(cell_w - 1, 0.5), cell_h, _shade(value, most),
                                                 weeks.heading(week), shown_value))
        top += 36
    height = top + 20
    first, last = date_labels([span[0], span[-1]])
    body.append(Markup('<text x="{0}" y="{1}" fill="{2}">{3}</text>'
                       '<text x="{4}" y="{1}" text-anchor="end" fill="{2}">{5}</text>')
                .format(left, height - 5, MUTED, first, width - left, last))
    return _svg(width, height, body, title)


# --- the section ------------------------------------------------------------------------------

def _wide_and_narrow(wide: Markup, narrow: Markup) -> Markup:
    """Both drawings of a chart; CSS shows the narrow one on a phone (custom.css)."""
    return Markup('<div class="em-wide">{}</div><div class="em-narrow">{}</div>').format(wide, narrow)


def trends_html(trends: Trends, text: weekly_text.TrendsText, habits: Sequence[workshop_choices.Habit]) -> Markup:
    """The whole 'My trends' section: the counts, the check-in chart once there are two, the habit heat map."""
    if trends.empty:
        return Markup('<p class="em-empty">{}</p>').format(text.empty)
    stat = Markup('<div class="em-stat"><b>{}</b> {}</div>')
    stats = Markup("").join(stat.format(number, words.of(number))
                            for number, words in ((trends.stories, text.stories), (trends.streak, text.streak)))
    parts = [Markup('<div class="em-stats">{}</div>').format(stats)]
    if len(trends.checkins) >= 2:
        parts.append(_wide_and_narrow(*(checkin_chart(trends, text.best, text.mindset, width)
                                        for width in (WIDTH, NARROW))))
        if len(trends.checkins) > MARKERS_UP_TO:
            parts.append(Markup('<p class="em-hint">{}</p>').format(text.average_note))
    elif trends.checkins:
        [(best, mindset)] = trends.checkins.values()
        parts.append(Markup("<p>{} <b>{}</b>/10 &middot; {} <b>{}</b>/10</p>").format(
            text.best, best, text.mindset, mindset))
    wide = habit_heatmap_svg(trends, habits, text.habits)
    if wide:
        narrow = habit_heatmap_svg(trends, habits, text.habits, NARROW, NARROW_HEATMAP_WEEKS) or wide
        parts.append(Markup('<h4>{}</h4>{}<p class="em-hint">{}</p>').format(
            text.habits, _wide_and_narrow(wide, narrow), text.habits_note))
    return Markup("").join(parts)
