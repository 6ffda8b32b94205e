"""The weekly journal page: this week's story, habits, check-in and commitments; trends; the team; export.

Every card's entry is the one of the week picked at the top (WeekPicker), so
picking a week re-restores them all, with that week's story question, team
question and month's scenario. Opening stays quick however long the
journal: the entries are read once (AnswerBook), trends are drawn as SVG
without matplotlib, teammates' journals are read only for their shared
stories, and the export is built only when asked for.
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w
from markupsafe import Markup

from extramile.content import weekly_text, weeks, workshop_choices
from extramile.content.weeks import CHECKIN, HABITS, STORY
from extramile.exceptions import ContentError, JournalError, UnknownSection
from extramile.participant.answers import AnswerBook
from extramile.participant.cards.card import NOT_SIGNED_IN, paragraph
from extramile.participant.cards.habits import team_of
from extramile.participant.cards.lean_widgets import Button, Column, Text
from extramile.participant.cards.scenario import ScenarioCard
from extramile.store.journal_store import JournalStore
from extramile.weekly import export, monthly, team_wall, trends
from extramile.weekly.cards.commitment_review import ReviewCard
from extramile.weekly.cards.next_commitment import NextCommitmentCard
from extramile.weekly.cards.week_picker import WeekPicker
from extramile.weekly.cards.weekly_checkin import CheckinCard
from extramile.weekly.cards.weekly_habits import HabitWeekCard
from extramile.weekly.cards.weekly_story import StoryCard
from extramile.weekly.commitments_due import commitments_to_review

SECTIONS = ("week", "story", "habits", "checkin", "commitments", "trends", "team", "export")


def _box(title: str, children: list[w.Widget]) -> w.VBox:
    box = Column([Text(Markup("<h3>{}</h3>").format(title)), *children], layout=w.Layout(width="100%"))
    box.add_class("em-card")
    return box


def _message(text: str, css_class: str) -> Markup:
    return Markup('<p class="{}">{}</p>').format(css_class, text)


class WeeklyJournalPage:
    """Every section of the weekly page, bound to one participant's answer book and the picked week."""

    def __init__(self, book: AnswerBook, journal: JournalStore, text: weekly_text.WeeklyJournalContent | None = None,
                 today: date | None = None) -> None:
        self.book, self.journal = book, journal
        self.text = text = text or weekly_text.weekly_journal()
        self.weeks = WeekPicker(text.week, today, on_picked=self._show_week, on_new_week=self.refresh)
        self.story = StoryCard(text.extra_mile_story, book, self._selected_week, text.theme_of)
        self.habits = HabitWeekCard(text.habits, book, self._selected_week)
        self.checkin = CheckinCard(text.checkin, book, self._selected_week)
        self.commitment = NextCommitmentCard(text.commitment, book, self._selected_week, lambda: self.weeks.today)
        for card in (self.story, self.habits, self.checkin):
            card.save_button.on_click(lambda _button: self._saved())
        self.review_cards: list[ReviewCard] = []
        self.reviews, self.trends, self.team = (Column(layout=w.Layout(width="100%")),
                                                Text(layout=w.Layout(width="100%")),
                                                Text(layout=w.Layout(width="100%")))
        self.team_week, self.team_question, self.export_links = Text(), Text(), Text()
        self.monthly = Column(layout=w.Layout(width="100%"))
        self.monthly_card: ScenarioCard | None = None
        self.export_button = Button(description=text.export.button, icon="download")
        self.export_button.on_click(lambda _button: self.prepare_export())
        self.refresh()

    def _selected_week(self) -> str:
        return self.weeks.week

    def section(self, name: str) -> list[w.Widget]:
        """What to display for one section of the page (see SECTIONS)."""
        text = self.text
        sections = {
            "week": lambda: [_box(text.week.title, [paragraph(text.week.prompt, "em-hint"), self.weeks.dropdown,
                                                    self.weeks.browser_date])],
            "story": lambda: [self.story],
            "habits": lambda: [self.habits],
            "checkin": lambda: [self.checkin],
            "commitments": lambda: [_box(text.review.title, [self.reviews]), self.commitment],
            "trends": lambda: [_box(text.trends.title, [self.trends])],
            "team": lambda: [_box(text.team.title, [self.team_week, self.team_question, self.monthly,
                                                    paragraph(text.team.prompt, "em-hint"), self.team])],
            "export": lambda: [_box(text.export.title, [paragraph(text.export.prompt), self.export_button,
                                                        self.export_links])],
        }
        if name not in sections:
            raise UnknownSection(f"No weekly section {name!r}; the sections are {', '.join(SECTIONS)}.")
        return sections[name]()

    def refresh(self, *, keep_typed: bool = False, resync: bool = False) -> None:
        """After sign-in or sign-out (and on opening): everything from the participant's journal.

        `keep_typed` and `resync` are the cards' (extramile.participant.cards.card): what was typed signed out, and
        text the browser has not sent yet.
        """
        self.export_links.value = ""
        self._update_picker()
        self._show_week(keep_typed=keep_typed, resync=resync)
        self._render_trends()

    def _saved(self) -> None:
        self._update_picker()
        self._render_trends()

    def _update_picker(self) -> None:
        self.weeks.list_weeks({answer["week"] for e in self.book.entries()
                               if e.get("exercise") in (STORY, HABITS, CHECKIN) and (answer := weeks.weekly_answer(e))})

    def _show_week(self, *, keep_typed: bool = False, resync: bool = False) -> None:
        for card in (self.story, self.habits, self.checkin, self.commitment):
            card.restore(keep_typed=keep_typed, resync=resync)
        text = self.text.review
        self.review_cards = [
            ReviewCard(text, self.book, self._selected_week, entry, text.workshop if origin == "workshop"
                       else f"{text.last_week} {weeks.span(entry['answer']['week'])}")
            for origin, entry in commitments_to_review(self.book.entries(), self.weeks.week)]
        self.reviews.children = self.review_cards or [paragraph(text.empty, "em-empty")]
        self._render_team()

    def _render_trends(self) -> None:
        found = trends.trends_of(self.book.entries(), self.weeks.current)
        habits = workshop_choices.habits(team=team_of(self.book))
        self.trends.value = trends.trends_html(found, self.text.trends, habits)

    def _render_team(self) -> None:
        text = self.text.team
        self.team_week.value = Markup('<div class="em-week-tag">{}</div>').format(
            weeks.label(self.weeks.week, self.weeks.current))
        self.team_question.value = Markup('<div class="em-team-question"><div class="em-label">{}</div>'
                                          '<div class="em-prompt">{}</div></div>').format(
            text.question, self.text.theme_of(self.weeks.week).team_question)
        self._show_monthly()
        participant = self.book.participant
        if participant is None:
            self.team.value = _message(text.signed_out, "em-empty")
            return
        try:
            stories = team_wall.shared_stories(self.journal, participant.team, self.weeks.week, participant.name)
        except JournalError as exc:
            self.team.value = _message(str(exc), "em-status em-error")
            return
        self.team.value = team_wall.wall_html(stories, self.story.labels, text.empty)

    def _show_monthly(self) -> None:
        """The month's scenario for the participant's team, as a card of its own; nothing when there is none."""
        try:
            scenario = monthly.scenario_for(team_of(self.book), self.weeks.week) if self.book.signed_in else None
        except ContentError as exc:  # a slip in the facilitator's file must not cost anyone the rest of the page
            self.monthly_card = None
            self.monthly.children = [Text(_message(str(exc), "em-status em-error"))]
            return
        if scenario is None:
            self.monthly_card = None
            self.monthly.children = []
            return
        if self.monthly_card is None or self.monthly_card.exercise != scenario:
            self.monthly_card = ScenarioCard(scenario, self.book, None)
            self.monthly.children = [paragraph(self.text.team.monthly, "em-label"), self.monthly_card]
        else:
            self.monthly_card.restore()

    def prepare_export(self) -> None:
        """Build both files from the journal as it is now and offer them as downloads."""
        participant = self.book.participant
        if participant is None:
            self.export_links.value = _message(NOT_SIGNED_IN.split(".")[0] + ".", "em-status em-warn")
            return
        self.book.refresh()
        try:
            parts = export.outline(self.book.entries())
        except JournalError as exc:
            self.export_links.value = _message(str(exc), "em-status em-error")
            return
        if not parts:
            self.export_links.value = _message(self.text.export.empty, "em-empty")
            return
        self.export_links.value = export.download_links(parts, participant.name, participant.team, self.weeks.today,
                                                        self.text.export)
