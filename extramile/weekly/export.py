"""Export one participant's journal: a Markdown file and a self-contained HTML page.

Both are made from one outline (parts, sections, items, labeled texts), so
they always hold the same things: every weekly entry, newest week first, then
every workshop answer in lesson order. Weeks and dates are written as dates
("Week 48, 23-29 Nov 2026", "Fri 4 Dec 2026"), never "this week" or an ISO
string: the file is read long after it was made. Participant text is escaped in both:
the page comes from an autoescaped template (a `<script>` in a story is
shown, never run) and the Markdown is backslash-escaped so a renderer shows
it as typed. The page offers the files as data: URI links, which download in
the participant app and JupyterLab alike without a file on the server.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from markupsafe import Markup

from extramile import content, documents
from extramile.content import weekly_text, weeks, workshop_choices
from extramile.content.answer_models import (
    LESSON_ANSWERS,
    WEEKLY_ANSWERS,
    Answer,
    CheckinAnswer,
    CommitmentAnswer,
    HabitRatingsAnswer,
    ReviewAnswer,
    ScaleAnswer,
    StoryAnswer,
    WeeklyHabitsAnswer,
)
from extramile.content.weeks import WEEKLY_EXERCISES
from extramile.names import file_stem_for
from extramile.weekly import monthly

PAGE_STYLE_FILE = Path(__file__).parents[1] / "assets" / "export.css"


@dataclass
class Item:
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (label, text); label may be ""
    note: str = ""
    compact: bool = False  # short values: one "label: value" line each


@dataclass
class ExportSection:
    title: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Part:
    title: str
    sections: list[ExportSection] = field(default_factory=list)


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _shared(entry: dict) -> str:
    return "shared with my team" if entry.get("shared") is True else ""


def _words(answer: Answer) -> list[tuple[str, str]]:
    """The free-text fields written, each under the label the participant answered (answer_models)."""
    return [(label, text) for name, label in answer.words() if (text := getattr(answer, name)).strip()]


def _commitment_lines(raw: object, check_by: str) -> list[tuple[str, str]]:
    answer = CommitmentAnswer.read(raw)
    due = [(check_by, weeks.readable_date(answer.check_by))] if answer.check_by else []
    return _words(answer) + due


def _weekly_item(entry: dict, by_id: dict[str, dict], text: weekly_text.WeeklyJournalContent) -> Item | None:
    exercise = entry.get("exercise")
    model = WEEKLY_ANSWERS.get(exercise)
    if model is None:
        return None
    answer = model.read(entry["answer"])
    if isinstance(answer, StoryAnswer):
        return Item(f"{text.extra_mile_story.title}: {text.theme_of(answer.week).title}", _words(answer),
                    _shared(entry))
    if isinstance(answer, WeeklyHabitsAnswer):
        lines = [(habit.label, _yes_no(answer.values[habit.id])) for habit in workshop_choices.every_habit()
                 if habit.id in answer.values]
        return Item(text.habits.title, lines, compact=True)
    if isinstance(answer, CheckinAnswer):
        scores = [(text.checkin.best.label, f"{_text(answer.best)} / 10"),
                  (text.checkin.mindset.label, f"{_text(answer.mindset)} / 10")]
        return Item(text.checkin.title, scores, compact=True)
    if isinstance(answer, ReviewAnswer):
        statuses = {"kept": text.review.statuses.kept, "partly": text.review.statuses.partly,
                    "not-yet": text.review.statuses.not_yet}
        reviewed = by_id.get(answer.commitment) if answer.commitment else None
        about = _commitment_lines(reviewed["answer"], text.review.check_by) if reviewed and isinstance(
            reviewed.get("answer"), dict) else [("", "(a commitment changed since)")]
        return Item(text.review.title, [*about, (text.review.prompt, statuses.get(answer.status, ""))])
    return Item(text.commitment.title, _commitment_lines(entry["answer"], text.review.check_by), _shared(entry))


def _yes_no(value: int | bool) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def _lesson_item(entry: dict, exercise: content.Exercise) -> Item:
    raw = entry.get("answer")
    kind = exercise.kind
    if kind == "scenario":
        chosen = exercise.chosen(raw)
        return Item(exercise.title, [("I chose", chosen.text if chosen else "")], _shared(entry))
    answer = LESSON_ANSWERS[kind].read(raw)
    if isinstance(answer, ScaleAnswer):
        lines = [("", f"{_text(answer.value)} / 10")]
    elif isinstance(answer, HabitRatingsAnswer):
        rated = [(h.label, answer.ratings[h.id]) for h in workshop_choices.every_habit() if h.id in answer.ratings]
        return Item(exercise.title, rated, compact=True)
    elif isinstance(answer, CommitmentAnswer):
        lines = _commitment_lines(raw, "Check by")
    else:
        lines = _words(answer)
    return Item(exercise.title, lines, _shared(entry))


def outline(entries: list[dict]) -> list[Part]:
    """Everything the participant wrote, in reading order; empty parts are left out."""
    text = weekly_text.weekly_journal()
    by_id = {e["id"]: e for e in entries}
    by_week: dict[str, list[dict]] = {}
    lesson_answers: dict[str, dict] = {}
    for entry in entries:
        if entry.get("exercise") in WEEKLY_EXERCISES:
            if (answer := weeks.weekly_answer(entry)) is not None:
                by_week.setdefault(answer["week"], []).append(entry)
        elif entry.get("kind") in ("exercise", "commitment") and entry.get("exercise"):
            lesson_answers[entry["exercise"]] = entry
    weekly = Part(text.title)
    for week in sorted(by_week, reverse=True):
        ordered = sorted(by_week[week],
                         key=lambda e: (WEEKLY_EXERCISES.index(e["exercise"]), str(e.get("at", ""))))
        items = [item for e in ordered if (item := _weekly_item(e, by_id, text)) is not None]
        weekly.sections.append(ExportSection(weeks.heading(week), items))
    scenarios = {scenario.id: scenario for scenario in monthly.monthly_scenarios()}
    answered = [_lesson_item(lesson_answers.pop(ident), scenarios[ident]) for ident in list(lesson_answers)
                if ident in scenarios]
    if answered:
        weekly.sections.append(ExportSection(text.team.monthly.rstrip(":"), answered))
    workshop = Part("The workshop")
    for notebook in content.load_all().values():
        items = [_lesson_item(lesson_answers.pop(ex.id), ex)
                 for ex in notebook.exercises if ex.id in lesson_answers]
        if items:
            workshop.sections.append(ExportSection(notebook.title, items))
    if lesson_answers:
        other = ExportSection("Other answers")
        for exercise_id, entry in lesson_answers.items():
            other.items.append(Item(exercise_id, [("", _text(entry.get("answer")))], _shared(entry)))
        workshop.sections.append(other)
    return [part for part in (weekly, workshop) if part.sections]


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|&])")


def _md(value: str) -> str:
    """Participant text for Markdown: special characters escaped, line breaks kept."""
    return "  \n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", line) for line in value.splitlines() or [""])


def to_markdown(parts: list[Part], participant: str, team: str, today: date) -> str:
    out = [f"# My Extra Mile journal: {_md(participant)}", "",
           f"Team {_md(team)}, exported {today:%d %b %Y}.", ""]
    for part in parts:
        out += [f"## {_md(part.title)}", ""]
        for section in part.sections:
            out += [f"### {_md(section.title)}", ""]
            for item in section.items:
                note = f" *({_md(item.note)})*" if item.note else ""
                out += [f"#### {_md(item.title)}{note}", ""]
                if item.compact:
                    out += [f"- **{_md(label)}**: {_md(value)}" for label, value in item.lines] + [""]
                    continue
                for label, value in item.lines:
                    if label:
                        out.append(f"**{_md(label)}**  ")
                    out += [_md(value), ""]
    return "\n".join(out).rstrip() + "\n"


def to_html(parts: list[Part], participant: str, team: str, today: date) -> str:
    page = documents.environment().get_template("export.html")
    style = Markup(PAGE_STYLE_FILE.read_text(encoding="utf-8"))  # our own file, never participant text
    return page.render(parts=parts, participant=participant, team=team, exported=f"{today:%d %b %Y}",
                       style=style) + "\n"


def file_name(participant: str, today: date, suffix: str) -> str:
    """'extramile-journal-zoe-2026-11-25.md': readable, and never a path."""
    try:
        slug = file_stem_for(participant).rsplit("-", 1)[0]
    except ValueError:
        slug = "participant"
    return f"extramile-journal-{slug}-{today.isoformat()}.{suffix}"


def download_link(name: str, data: str, mime: str, label: str) -> Markup:
    """An <a download> whose data: URI holds the whole file: no server file, no extra route."""
    encoded = base64.b64encode(data.encode("utf-8")).decode("ascii")
    return Markup('<a class="em-download" download="{}" href="data:{};charset=utf-8;base64,{}">{}</a>').format(
        name, mime, encoded, label)


def download_links(parts: list[Part], participant: str, team: str, today: date,
                   text: weekly_text.ExportText) -> Markup:
    """Both files, built from the journal as it is now, as the two links the page offers."""
    files = ((to_markdown(parts, participant, team, today), "md", "text/markdown", text.markdown),
             (to_html(parts, participant, team, today), "html", "text/html", text.page))
    links = (download_link(file_name(participant, today, suffix), data, mime, label)
             for data, suffix, mime, label in files)
    return Markup('<p class="em-downloads">{}</p>').format(Markup("").join(links))

