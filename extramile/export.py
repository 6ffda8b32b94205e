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

from extramile import content, documents, monthly, weekly_text, weeks, workshop_choices
from extramile.names import file_stem_for
from extramile.weeks import CHECKIN, COMMITMENT, HABITS, REVIEW, STORY, STORY_PARTS, WEEKLY_EXERCISES

PAGE_STYLE_FILE = Path(__file__).parent / "assets" / "export.css"


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


def _commitment_lines(answer: dict, check_by: str) -> list[tuple[str, str]]:
    lines = [("", _text(answer.get("idea"))), ("", _text(answer.get("action")))]
    if answer.get("check_by"):
        lines.append((check_by, weeks.readable_date(_text(answer["check_by"]))))
    return [(label, text) for label, text in lines if text.strip()]


def _weekly_item(entry: dict, by_id: dict[str, dict], text: weekly_text.WeeklyJournalContent) -> Item | None:
    answer, exercise = entry["answer"], entry.get("exercise")
    if exercise == STORY:
        parts = {"happened": text.extra_mile_story.happened, "did": text.extra_mile_story.did,
                 "learned": text.extra_mile_story.learned}
        lines = [(parts[p].label, _text(answer.get(p))) for p in STORY_PARTS if _text(answer.get(p)).strip()]
        theme = text.theme_of(answer["week"]).title
        return Item(f"{text.extra_mile_story.title}: {theme}", lines, _shared(entry))
    if exercise == HABITS:
        values = answer.get("values") if isinstance(answer.get("values"), dict) else {}
        lines = []
        for habit in workshop_choices.every_habit():
            if habit.id in values:
                value = values[habit.id]
                shown = ("yes" if value else "no") if isinstance(value, bool) else _text(value)
                lines.append((habit.label, shown))
        return Item(text.habits.title, lines, compact=True)
    if exercise == CHECKIN:
        scores = [(text.checkin.best.label, f"{_text(answer.get('best'))} / 10"),
                  (text.checkin.mindset.label, f"{_text(answer.get('mindset'))} / 10")]
        return Item(text.checkin.title, scores, compact=True)
    if exercise == REVIEW:
        statuses = {"kept": text.review.statuses.kept, "partly": text.review.statuses.partly,
                    "not-yet": text.review.statuses.not_yet}
        reviewed = by_id.get(answer.get("commitment"))
        about = _commitment_lines(reviewed["answer"], text.review.check_by) if reviewed and isinstance(
            reviewed.get("answer"), dict) else [("", "(a commitment changed since)")]
        return Item(text.review.title, [*about, (text.review.prompt, statuses.get(answer.get("status"), ""))])
    if exercise == COMMITMENT:
        return Item(text.commitment.title, _commitment_lines(answer, text.review.check_by), _shared(entry))
    return None


def _lesson_item(entry: dict, exercise: content.Exercise) -> Item:
    answer = entry["answer"] if isinstance(entry.get("answer"), dict) else {}
    kind = exercise.kind
    if kind in ("reflection", "roleplay"):
        lines = [("", _text(answer.get("text")))]
    elif kind == "scenario":
        chosen = exercise.chosen(answer)
        lines = [("I chose", chosen.text if chosen else "")]
    elif kind == "reframe":
        lines = [("What is the real opportunity here?", _text(answer.get("opportunity"))),
                 ("How can I help?", _text(answer.get("help")))]
    elif kind == "scale":
        lines = [("", f"{_text(answer.get('value'))} / 10")]
    elif kind == "habits":
        ratings = answer.get("ratings") if isinstance(answer.get("ratings"), dict) else {}
        rated = [(h.label, _text(ratings[h.id])) for h in workshop_choices.every_habit() if h.id in ratings]
        return Item(exercise.title, rated, compact=True)
    else:
        lines = _commitment_lines(answer, "Check by")
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

