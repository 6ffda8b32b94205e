"""The weekly journal page: this week's story, habits, check-in and commitments; trends; the team; export.

Every card is a Card (save, confirm, restore, errors as in the lessons) whose
`match()` is the week picked at the top, so the same cards fill in or
correct any past week: picking a week re-restores them all. The week is the
ISO week of the participant's local date. The kernel only knows the server's
clock, so the page asks the browser for its date once (BrowserDate) and
moves "this week" if the two disagree.

Opening stays quick however long the journal: the participant's entries are
read once (AnswerBook), trends are counted in plain Python and drawn as SVG,
teammates' journals are read only for their shared stories, and the export
is built only when asked for.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import ipywidgets as w

from extramile import content, export, team_wall, trends, weeks
from extramile.answers import AnswerBook
from extramile.journal import Journal, JournalError
from extramile.weeks import CHECKIN, COMMITMENT, HABITS, REVIEW, STORY, STORY_PARTS, WEEKLY_EXERCISES
from extramile.widgets.browser_date import BrowserDate
from extramile.widgets.card import NOT_SIGNED_IN, Card, Incomplete, checked_text, paragraph, text_area
from extramile.widgets.commitment import CommitmentCard

SECTIONS = ("week", "story", "habits", "checkin", "commitments", "trends", "team", "export")
PAST_WEEKS = 52
MAX_COUNT = 9999
MIDDLE = 5
BROWSER_DATE_SLACK = timedelta(days=2)  # the most two time zones' calendars can differ by


@dataclass(frozen=True)
class WeeklyExercise:
    """What a Card needs of a weekly exercise: its fixed id and its title (and, for commitments, ideas)."""

    id: str
    title: str
    prompt: str = ""
    ideas: tuple[str, ...] = ()


def _check_by_default(week: str) -> date:
    """The Sunday of the week after: when next week's journal looks back at it."""
    return weeks.monday(week) + timedelta(days=13)


class WeekCard(Card):
    """A card that shows and saves the entry of the week picked on the page."""

    def __init__(self, exercise, book: AnswerBook, week: Callable[[], str], fields: list[w.Widget]):
        self.week = week
        self.week_tag = w.HTML()
        super().__init__(exercise, book, None, [self.week_tag, *fields])

    def match(self) -> dict:
        return {"week": self.week()}

    def restore(self) -> None:
        self.week_tag.value = f'<div class="em-week-tag">{html.escape(weeks.span(self.week()))}</div>'
        super().restore()


class StoryCard(WeekCard):
    """Recognize it, document it, learn from it: three parts, private unless shared."""

    kind = "weekly"
    shareable = True

    def __init__(self, text: content.StoryText, book, week):
        self.labels = {part: getattr(text, part).label for part in STORY_PARTS}
        self.parts = {part: text_area(getattr(text, part).placeholder, rows=3) for part in STORY_PARTS}
        fields = [paragraph(text.prompt)]
        for part in STORY_PARTS:
            fields += [paragraph(self.labels[part], "em-label"), self.parts[part]]
        super().__init__(WeeklyExercise(STORY, text.title), book, week, fields)

    def read(self):
        values = {part: area.value for part, area in self.parts.items()}
        if not any(value.strip() for value in values.values()):
            raise Incomplete("Please write your story first: even one sentence about what happened counts.")
        for part, value in values.items():
            if value.strip():
                checked_text(value, f'"{self.labels[part]}"')
        return {"week": self.week(), **values}

    def fill(self, answer):
        for part, area in self.parts.items():
            value = answer.get(part)
            area.value = value if isinstance(value, str) else ""

    def clear(self):
        for area in self.parts.values():
            area.value = ""


class HabitWeekCard(WeekCard):
    """The seven habits for the week: a number where the habit is counted, a tick where it is yes or no."""

    kind = "habit"

    def __init__(self, text: content.HabitsText, book, week):
        self.habits = content.habits()
        self.inputs: dict[str, w.Widget] = {}
        rows = []
        for habit in self.habits:
            if habit.weekly == "count":
                field = w.BoundedIntText(value=0, min=0, max=MAX_COUNT, layout=w.Layout(width="6.5em"))
            else:
                field = w.Checkbox(value=False, description=text.tick, indent=False,
                                   layout=w.Layout(width="6.5em"))
            self.inputs[habit.id] = field
            question = w.HTML(f'<div class="em-habit"><b>{html.escape(habit.label)}</b>'
                              f'<div class="em-hint">{html.escape(habit.weekly_prompt)}</div></div>',
                              layout=w.Layout(flex="1 1 16em"))
            row = w.HBox([question, field], layout=w.Layout(flex_flow="row wrap", align_items="center",
                                                            width="100%"))
            row.add_class("em-habit-row")
            rows.append(row)
        super().__init__(WeeklyExercise(HABITS, text.title), book, week, [paragraph(text.prompt), *rows])

    def read(self):
        values = {}
        for habit_id, field in self.inputs.items():
            values[habit_id] = bool(field.value) if isinstance(field, w.Checkbox) else int(field.value)
        return {"week": self.week(), "values": values}

    def fill(self, answer):
        saved = answer.get("values") if isinstance(answer.get("values"), dict) else {}
        for habit_id, field in self.inputs.items():
            value = saved.get(habit_id)
            if isinstance(field, w.Checkbox):
                field.value = value is True
            else:
                field.value = value if type(value) is int and 0 <= value <= MAX_COUNT else 0

    def clear(self):
        for field in self.inputs.values():
            field.value = False if isinstance(field, w.Checkbox) else 0


def _slider(ends: content.ScaleEnds) -> tuple[w.IntSlider, w.Widget]:
    slider = w.IntSlider(value=MIDDLE, min=1, max=10, step=1, continuous_update=False,
                         layout=w.Layout(flex="1 1 12em", min_width="10em"))
    row = w.HBox([paragraph(ends.low, "em-end"), slider, paragraph(ends.high, "em-end")],
                 layout=w.Layout(flex_flow="row wrap", align_items="center", width="100%"))
    return slider, w.VBox([paragraph(ends.label, "em-label"), row], layout=w.Layout(width="100%"))


class CheckinCard(WeekCard):
    """'Am I doing my best?' and the mindset check, 1-10, for the week."""

    kind = "checkin"

    def __init__(self, text: content.CheckinText, book, week):
        self.best, best_row = _slider(text.best)
        self.mindset, mindset_row = _slider(text.mindset)
        super().__init__(WeeklyExercise(CHECKIN, text.title), book, week,
                         [paragraph(text.prompt), best_row, mindset_row])

    def read(self):
        return {"week": self.week(), "best": self.best.value, "mindset": self.mindset.value}

    def fill(self, answer):
        for slider, key in ((self.best, "best"), (self.mindset, "mindset")):
            value = answer.get(key)
            slider.value = value if type(value) is int and 1 <= value <= 10 else MIDDLE

    def clear(self):
        self.best.value = self.mindset.value = MIDDLE


def commitment_html(answer: dict, check_by: str) -> str:
    """A commitment as the review shows it back: idea, action, date; all escaped."""
    idea, action, due = (answer.get(k) for k in ("idea", "action", "check_by"))
    parts = []
    if isinstance(idea, str) and idea.strip():
        parts.append(f'<div class="em-commitment-idea">{html.escape(idea)}</div>')
    if isinstance(action, str) and action.strip():
        parts.append(f'<div class="em-prompt">{html.escape(action)}</div>')
    if isinstance(due, str) and due:
        parts.append(f'<div class="em-hint">{html.escape(check_by)} {html.escape(due)}</div>')
    return f'<div class="em-commitment">{"".join(parts)}</div>'


class ReviewCard(Card):
    """One earlier commitment shown back, answered kept / partly / not yet for the picked week."""

    kind = "commitment"

    def __init__(self, text: content.ReviewText, book, week, commitment: dict, heading: str):
        self.week = week
        self.commitment = commitment
        statuses = text.statuses
        self.names = {"kept": statuses.kept, "partly": statuses.partly, "not-yet": statuses.not_yet}
        self.choice = w.ToggleButtons(options=[(label, value) for value, label in self.names.items()],
                                      value=None, style={"button_width": "auto"})
        about = w.HTML(commitment_html(commitment["answer"], text.check_by))
        super().__init__(WeeklyExercise(REVIEW, heading), book, None,
                         [about, paragraph(text.prompt, "em-label"), self.choice])
        self.add_class("em-review")

    def match(self) -> dict:
        return {"week": self.week(), "commitment": self.commitment["id"]}

    def read(self):
        if self.choice.value is None:
            raise Incomplete(f"Please choose {', '.join(self.names.values())} first.")
        return {"week": self.week(), "commitment": self.commitment["id"], "status": self.choice.value}

    def fill(self, answer):
        self.choice.value = answer.get("status") if answer.get("status") in self.names else None

    def clear(self):
        self.choice.value = None


class NextCommitmentCard(CommitmentCard):
    """A new commitment made in the picked week, to be looked back on the week after."""

    def __init__(self, text: content.CommitmentText, ideas: tuple[str, ...], book, week):
        self.week = week
        super().__init__(WeeklyExercise(COMMITMENT, text.title, text.prompt, ideas), book, None)

    def match(self) -> dict:
        return {"week": self.week()}

    def read(self):
        return {"week": self.week(), **super().read()}

    def clear(self):
        super().clear()
        self.check_by.value = _check_by_default(self.week())


def commitment_ideas() -> tuple[str, ...]:
    """The workshop's list of commitment ideas (04_commitments.yaml), else the seven habits."""
    for notebook in content.load_all().values():
        for exercise in notebook.exercises:
            if exercise.kind == "commitment":
                return tuple(exercise.ideas)
    return tuple(habit.label for habit in content.habits())


def _local_week(at: str) -> str | None:
    try:
        return weeks.week_of(datetime.fromisoformat(at).astimezone().date())
    except (AttributeError, TypeError, ValueError):
        return None


def _weekly_answer(entry: dict) -> dict | None:
    answer = entry.get("answer")
    return answer if isinstance(answer, dict) and weeks.is_week(answer.get("week")) else None


def commitments_to_review(entries: list[dict], week: str) -> list[tuple[str, dict]]:
    """('workshop' or 'weekly', entry) for each commitment to look back on in this week.

    The workshop's commitments from the week they were made, and the latest
    commitment made in an earlier week; each until it is reviewed as kept in
    an earlier week. Editing a commitment gives it a new id, so an edited
    commitment is asked about afresh.
    """
    kept = {answer["commitment"] for e in entries
            if e.get("exercise") == REVIEW and (answer := _weekly_answer(e))
            and answer.get("status") == "kept" and answer["week"] < week}
    found = []
    for entry in entries:
        if (entry.get("kind") == "commitment" and entry.get("exercise") not in WEEKLY_EXERCISES
                and isinstance(entry.get("answer"), dict) and entry["id"] not in kept):
            made = _local_week(entry.get("at", ""))
            if made is not None and made <= week:
                found.append(("workshop", entry))
    earlier = [e for e in entries
               if e.get("exercise") == COMMITMENT and (answer := _weekly_answer(e)) and answer["week"] < week]
    if earlier:
        last = max(earlier, key=lambda e: (e["answer"]["week"], str(e.get("at", ""))))
        if last["id"] not in kept:
            found.append(("weekly", last))
    return found


def _wide_and_narrow(wide: str, narrow: str) -> str:
    """Both drawings of a chart; CSS shows the narrow one on a phone (weekly.css)."""
    return f'<div class="em-wide">{wide}</div><div class="em-narrow">{narrow}</div>'


class WeeklyJournalPage:
    """Every section of the weekly page, bound to one participant's answer book and the picked week."""

    def __init__(self, book: AnswerBook, journal: Journal, text: content.WeeklyJournalContent | None = None,
                 today: date | None = None):
        self.book = book
        self.journal = journal
        self.text = text or content.weekly_journal()
        self.server_today = today or weeks.local_today()
        self.today = self.server_today
        self.current = weeks.this_week(self.today)
        self.week = self.current
        self._picking = False
        text = self.text
        self.picker = w.Dropdown(layout=w.Layout(width="100%", max_width="28em"))
        self.picker.observe(self._picked, names="value")
        self.browser_date = BrowserDate()
        self.browser_date.observe(lambda change: self.browser_says(change["new"]), names="today")
        selected = self._selected_week
        self.story = StoryCard(text.extra_mile_story, book, selected)
        self.habits = HabitWeekCard(text.habits, book, selected)
        self.checkin = CheckinCard(text.checkin, book, selected)
        self.commitment = NextCommitmentCard(text.commitment, commitment_ideas(), book, selected)
        for card in (self.story, self.habits, self.checkin):
            card.save_button.on_click(lambda _button: self._saved())
        self.review_cards: list[ReviewCard] = []
        self.reviews = w.VBox(layout=w.Layout(width="100%"))
        self.trends = w.HTML(layout=w.Layout(width="100%"))
        self.team = w.HTML(layout=w.Layout(width="100%"))
        self.team_week = w.HTML()
        self.export_button = w.Button(description=text.export.button, icon="download")
        self.export_button.on_click(lambda _button: self.prepare_export())
        self.export_links = w.HTML()
        self.refresh()

    def _selected_week(self) -> str:
        return self.week

    # --- the sections, as the notebook shows them ---------------------------------------------

    def section(self, name: str) -> list:
        """What to display for one section of the page (see SECTIONS)."""
        text = self.text
        if name == "week":
            box = self._box(text.week.title, [paragraph(text.week.prompt, "em-hint"), self.picker,
                                               self.browser_date])
            return [box]
        if name == "story":
            return [self.story]
        if name == "habits":
            return [self.habits]
        if name == "checkin":
            return [self.checkin]
        if name == "commitments":
            return [self._box(text.review.title, [self.reviews]), self.commitment]
        if name == "trends":
            return [self._box(text.trends.title, [self.trends])]
        if name == "team":
            return [self._box(text.team.title,
                              [self.team_week, paragraph(text.team.prompt, "em-hint"), self.team])]
        if name == "export":
            return [self._box(text.export.title, [paragraph(text.export.prompt), self.export_button,
                                                  self.export_links])]
        raise ValueError(f"No weekly section {name!r}; the sections are {', '.join(SECTIONS)}.")

    @staticmethod
    def _box(title: str, children: list[w.Widget]) -> w.VBox:
        box = w.VBox([w.HTML(f"<h3>{html.escape(title)}</h3>"), *children], layout=w.Layout(width="100%"))
        box.add_class("em-card")
        return box

    # --- keeping the sections in step -----------------------------------------------------------

    def refresh(self) -> None:
        """After sign-in or sign-out (and on opening): everything from the participant's journal."""
        self.export_links.value = ""
        self._update_picker()
        self._show_week()
        self._render_trends()

    def pick(self, week: str) -> None:
        """Show another week (what the picker does)."""
        self.picker.value = week

    def _picked(self, change) -> None:
        if self._picking or change["new"] is None:
            return
        self.week = change["new"]
        self._show_week()

    def browser_says(self, value: str) -> None:
        """The browser's local date arrived: its week is the participant's this week."""
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            return
        if abs(day - self.server_today) > BROWSER_DATE_SLACK:
            return
        self.today = day
        current = weeks.this_week(day)
        if current == self.current:
            return
        following = self.week == self.current
        self.current = current
        if following:
            self.week = current
        self.refresh()

    def _saved(self) -> None:
        self._update_picker()
        self._render_trends()

    def _filled_weeks(self) -> set[str]:
        return {answer["week"] for e in self.book.entries()
                if e.get("exercise") in (STORY, HABITS, CHECKIN) and (answer := _weekly_answer(e))}

    def _update_picker(self) -> None:
        filled = self._filled_weeks()
        earliest = min([weeks.shift(self.current, -PAST_WEEKS), *(wk for wk in filled if wk <= self.current)])
        listed = weeks.weeks_between(earliest, self.current)[::-1]
        mark = f" {self.text.week.filled}"
        options = tuple((weeks.label(wk, self.current) + (mark if wk in filled else ""), wk) for wk in listed)
        if self.week not in listed:
            self.week = self.current
        if self.picker.options != options or self.picker.value != self.week:
            self._picking = True
            try:
                self.picker.options = options
                self.picker.value = self.week
            finally:
                self._picking = False

    def _show_week(self) -> None:
        for card in (self.story, self.habits, self.checkin, self.commitment):
            card.restore()
        self._build_reviews()
        self._render_team()

    def _build_reviews(self) -> None:
        text = self.text.review
        self.review_cards = []
        for origin, entry in commitments_to_review(self.book.entries(), self.week):
            heading = text.workshop if origin == "workshop" else (
                f"{text.last_week} {weeks.span(entry['answer']['week'])}")
            self.review_cards.append(ReviewCard(text, self.book, self._selected_week, entry, heading))
        self.reviews.children = self.review_cards or [paragraph(text.empty, "em-empty")]

    def _render_trends(self) -> None:
        text = self.text.trends
        found = trends.trends_of(self.book.entries(), self.current)
        if found.empty:
            self.trends.value = f'<p class="em-empty">{html.escape(text.empty)}</p>'
            return
        stats = "".join(f'<div class="em-stat"><b>{number}</b> {html.escape(words.of(number))}</div>'
                        for number, words in ((found.stories, text.stories), (found.streak, text.streak)))
        parts = [f'<div class="em-stats">{stats}</div>']
        if len(found.checkins) >= 2:
            charts = (trends.checkin_chart(found, text.best, text.mindset, width)
                      for width in (trends.WIDTH, trends.NARROW))
            parts.append(_wide_and_narrow(*charts))
            if len(found.checkins) > trends.MARKERS_UP_TO:
                parts.append(f'<p class="em-hint">{html.escape(text.average_note)}</p>')
        elif found.checkins:
            [(best, mindset)] = found.checkins.values()
            parts.append(f'<p>{html.escape(text.best)} <b>{best}</b>/10 &middot; {html.escape(text.mindset)} '
                         f'<b>{mindset}</b>/10</p>')
        habits = content.habits()
        wide = trends.habit_heatmap_svg(found, habits, text.habits)
        if wide:
            narrow = trends.habit_heatmap_svg(found, habits, text.habits, trends.NARROW,
                                          trends.NARROW_HEATMAP_WEEKS) or wide
            parts.append(f'<h4>{html.escape(text.habits)}</h4>{_wide_and_narrow(wide, narrow)}'
                         f'<p class="em-hint">{html.escape(text.habits_note)}</p>')
        self.trends.value = "".join(parts)

    def _render_team(self) -> None:
        text = self.text.team
        label = weeks.label(self.week, self.current)
        self.team_week.value = f'<div class="em-week-tag">{html.escape(label)}</div>'
        participant = self.book.participant
        if participant is None:
            self.team.value = f'<p class="em-empty">{html.escape(text.signed_out)}</p>'
            return
        try:
            stories = team_wall.shared_stories(self.journal, participant.team, self.week, participant.name)
        except JournalError as exc:
            self.team.value = f'<p class="em-status em-error">{html.escape(str(exc))}</p>'
            return
        self.team.value = team_wall.wall_html(stories, self.story.labels, text.empty)

    def prepare_export(self) -> None:
        """Build both files from the journal as it is now and offer them as downloads."""
        text = self.text.export
        participant = self.book.participant
        if participant is None:
            message = NOT_SIGNED_IN.split(".")[0]
            self.export_links.value = f'<p class="em-status em-warn">{html.escape(message)}.</p>'
            return
        self.book.refresh()
        try:
            parts = export.outline(self.book.entries(), self.current)
        except JournalError as exc:
            self.export_links.value = f'<p class="em-status em-error">{html.escape(str(exc))}</p>'
            return
        if not parts:
            self.export_links.value = f'<p class="em-empty">{html.escape(text.empty)}</p>'
            return
        name, team = participant.name, participant.team
        markdown = export.to_markdown(parts, name, team, self.today)
        page = export.to_html(parts, name, team, self.today)
        files = ((markdown, "md", "text/markdown", text.markdown), (page, "html", "text/html", text.page))
        links = (export.download_link(export.file_name(name, self.today, suffix), data, mime, label)
                 for data, suffix, mime, label in files)
        self.export_links.value = f'<p class="em-downloads">{"".join(links)}</p>'
